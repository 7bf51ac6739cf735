// Loads the watcher's status page in Debian's headless chromium and checks it:
//   node check_page.mjs URL SOURCE_DIR ARTIFACT_DIR
// 1. without JavaScript: the server-rendered page lists every service and host;
// 2. with JavaScript (the page's own CSP in force, no console error): the DOM shows
//    every service with its desired/running/healthy counts and every host with its
//    tasks, as /status says;
// 3. the source changes (web: 3 -> 4 tasks): the page shows it without a reload;
// 4. a screenshot is saved; axe-core finds no serious or critical violation.
// Exits non-zero with a message on the first failed check.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [url, sourceDir, artifacts] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const fail = (msg) => { console.error('FAIL: ' + msg); process.exit(1); };
const log = (msg) => console.log('page: ' + msg);

async function status() {
  const r = await fetch(url + 'status');
  return r.json();
}

// What the page shows, read from the DOM.
async function shown(page) {
  return page.evaluate(() => {
    const services = {};
    document.querySelectorAll('#services tbody tr[data-service]').forEach((tr) => {
      const n = (k) => Number(tr.querySelector(`[data-count="${k}"]`).textContent);
      services[tr.dataset.service] = { desired: n('desired'), running: n('running'), healthy: n('healthy') };
    });
    const hosts = {};
    const bars = {};
    document.querySelectorAll('#hosts li.host').forEach((li) => {
      hosts[li.dataset.host] = li.querySelectorAll('li.task').length;
      bars[li.dataset.host] = [...li.querySelectorAll('svg.bar[role="img"]')]
        .map((b) => b.getAttribute('aria-label').split(':')[0]).join(',');
    });
    return { services, hosts, bars };
  });
}

async function waitFor(what, timeoutMs, check) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await check();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
}

// The page agrees with /status: every service's counts, every host's task count.
async function agrees(page) {
  const st = await status();
  const dom = await shown(page);
  for (const s of st.services) {
    const d = dom.services[s.service];
    if (!d || d.desired !== s.desired || d.running !== s.running || d.healthy !== s.healthy) {
      return { service: s.service, status: s, page: d };
    }
  }
  if (Object.keys(dom.services).length !== st.services.length) return { services: dom.services };
  for (const h of st.hosts) {
    if (dom.hosts[h.host] !== h.tasks.length) return { host: h.host, status: h.tasks.length, page: dom.hosts[h.host] };
  }
  if (Object.keys(dom.hosts).length !== st.hosts.length) return { hosts: dom.hosts };
  return true;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // 1. No JavaScript: the first view is complete.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(url);
  const first = await shown(noJs);
  log('without JavaScript: ' + JSON.stringify(first));
  if (!first.services.web || !first.services.api) fail('services missing without JavaScript');
  if (Object.keys(first.hosts).length !== 3) fail('expected 3 hosts without JavaScript');
  await plain.close();

  // 2. JavaScript on, the page's CSP in force: no console error, counts as /status.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(url);
  await waitFor('the page to agree with /status', 20000, () => agrees(page));
  const before = await shown(page);
  log('with JavaScript: ' + JSON.stringify(before));
  if (before.services.web.desired !== 3) fail('web should want 3 tasks at first');
  for (const [host, bars] of Object.entries(before.bars)) {
    if (bars !== 'CPU,Memory') fail(`host ${host}: expected CPU and memory bars, got "${bars}"`);
  }
  await page.evaluate(() => { window.__stowageNoReload = true; });

  // 3. The source changes; the page follows without a reload.
  const webFile = sourceDir + '/web.yaml';
  writeFileSync(webFile, readFileSync(webFile, 'utf8').replace('desiredCount: 3', 'desiredCount: 4'));
  log('web.yaml: desiredCount 3 -> 4');
  await waitFor('web to show 4 running tasks', 60000, async () => {
    const d = await shown(page);
    return (d.services.web && d.services.web.desired === 4 && d.services.web.running === 4) || d.services.web;
  });
  await waitFor('the page to agree with /status again', 20000, () => agrees(page));
  if (!(await page.evaluate(() => window.__stowageNoReload === true)) || loads !== 1) {
    fail(`the page reloaded (loads: ${loads})`);
  }
  // The deploy history (kept on the engines) shows both applies, newest first.
  await waitFor('two deploy records on the page', 20000, () => page.evaluate(() => {
    const rows = [...document.querySelectorAll('#history tbody tr')];
    return rows.length >= 2 && rows.every((r) => r.textContent.includes('converged')) ? true : rows.length;
  }));
  const tasks = Object.values((await shown(page)).hosts).reduce((a, b) => a + b, 0);
  log(`after the change: ${JSON.stringify(await shown(page))}, ${tasks} tasks on the host map`);
  if (errors.length) fail('console errors: ' + errors.join(' | '));

  // 4. Screenshot, then the accessibility check (axe needs its script injected:
  // a context that bypasses the page's CSP, for axe only).
  await page.screenshot({ path: artifacts + '/status-page.png', fullPage: true });
  log('screenshot: ' + artifacts + '/status-page.png');
  const audit = await browser.newContext({ bypassCSP: true });
  const auditPage = await audit.newPage();
  await auditPage.goto(url);
  await auditPage.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await auditPage.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  writeFileSync(artifacts + '/axe.json', JSON.stringify(result.violations, null, 2));
  for (const v of result.violations) log(`axe: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) fail('accessibility: ' + serious.map((v) => v.id).join(', '));
  log(`axe: ${result.passes.length} rules passed, ${result.violations.length} minor violations`);
} finally {
  await browser.close();
}
