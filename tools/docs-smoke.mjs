#!/usr/bin/env node
// Opens the generated API reference (docs/api) in headless Chromium over a loopback HTTP
// server, navigates from the index to every package page, and saves a screenshot of each
// (reports/docs-*.png) so a person can look. Fails if a page is missing or empty.
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve('docs/api');
if (!existsSync(join(root, 'index.html'))) {
  console.error('docs/api/index.html is missing: run `pnpm run docs` first');
  process.exit(1);
}
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  let file = join(root, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let failures = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  mkdirSync('reports', { recursive: true });
  await page.screenshot({ path: 'reports/docs-index.png' });
  const title = await page.title();
  const links = await page.$$eval('.col-content a[href]', (as) =>
    as.map((a) => [a.textContent.trim(), a.getAttribute('href')]),
  );
  const packages = links.filter(([text]) => text.startsWith('@scimkit/'));
  console.log(`index: "${title}", ${packages.length} package links`);
  if (packages.length === 0) failures++;
  for (const [text, href] of packages) {
    await page.goto(new URL(href, base).href);
    const h1 = (await page.textContent('h1'))?.trim() ?? '';
    const members = await page.$$eval('.tsd-index-link, .tsd-member-summary-name', (els) => els.length);
    const ok = h1.includes(text) && members > 0;
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}: h1 "${h1}", ${members} documented members`);
    await page.screenshot({ path: `reports/docs-${text.replace(/\W+/g, '-').replace(/^-/, '')}.png` });
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failures ? 1 : 0);
