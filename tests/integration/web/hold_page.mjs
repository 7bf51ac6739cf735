// Keeps the watcher's status page open in headless chromium for a while (the page
// polls /ui/main every 2 s), for bench/watch's idle-CPU-with-the-page-open figure:
//   node hold_page.mjs URL SECONDS
import { chromium } from 'playwright-core';

const [url, seconds] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext()).newPage();
let requests = 0;
page.on('request', () => { requests += 1; });
await page.goto(url);
console.log('ready');
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
console.log(`requests ${requests}`);
await browser.close();
