// stowage status page: keeps <main> current without a reload.
// The server renders the page (it reads fine without this script); here we only
// fetch /ui/main every few seconds and swap it in when its ETag changed, and
// count down to the next poll. Read-only: no request here changes anything.
(function () {
  'use strict';
  var POLL_MS = 2000;
  var etag = null;
  var timer = null;
  var live = document.getElementById('live');

  function countdowns() {
    var now = Date.now();
    document.querySelectorAll('[data-countdown] time').forEach(function (t) {
      var s = Math.round((Date.parse(t.getAttribute('datetime')) - now) / 1000);
      t.textContent = s > 0 ? 'in ' + s + ' s' : 'now';
    });
  }

  function swap(html) {
    var main = document.getElementById('main');
    var focused = document.activeElement && document.activeElement.id;
    var box = document.createElement('div');
    box.innerHTML = html;
    var fresh = box.querySelector('main');
    if (!main || !fresh) return;
    main.replaceWith(fresh);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    countdowns();
    var when = new Date().toLocaleTimeString();
    if (live) live.textContent = 'Updated at ' + when + '.';
  }

  function poll() {
    var headers = etag ? { 'If-None-Match': etag } : {};
    fetch('/ui/main', { headers: headers, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 200) {
          etag = r.headers.get('ETag');
          return r.text().then(swap);
        }
        if (r.status !== 304 && live) live.textContent = 'The watcher answered ' + r.status + '.';
      })
      .catch(function () {
        if (live) live.textContent = 'The watcher does not answer; retrying.';
      })
      .finally(schedule);
  }

  function schedule() {
    clearTimeout(timer);
    if (!document.hidden) timer = setTimeout(poll, POLL_MS);
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) poll();
  });
  if (live) live.textContent = 'Live: refreshed every ' + POLL_MS / 1000 + ' s.';
  setInterval(countdowns, 1000);
  countdowns();
  schedule();
})();
