#!/usr/bin/env node
// Smoke test of the documentation site (docs/api, built by `pnpm run docs`), served over loopback
// HTTP and opened in headless Chromium (playwright-core, /usr/bin/chromium or CHROMIUM_PATH):
// 1. crawls every page reachable from the landing page (content and navigation links): every
//    internal link and anchor resolves, no page is raw markdown, every page has a heading;
// 2. every name each public entry point exports (read with the TypeScript compiler from the
//    package.json `exports` targets) has a page and a search entry under that entry point, and
//    `@internal` entry points have none; search finds a symbol that lives in a subpath
//    (`serveNode` of `@scimkit/server/node`) and words that appear only in guides;
// 3. walks a new user's path: from the landing page to the guide "Expose /scim/v2 for Entra ID
//    and Okta", into serveNode's reference page, whose example, copied as the page shows it,
//    compiles against the packages.
// Screenshots go to reports/docs-screenshots/ (look at them). Exits non-zero on any failure.
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import ts from 'typescript';
import { launchChromium } from './chromium.mjs';
import { compileSnippet, repositoryCompilerOptions } from './docs-examples.mjs';
import { documentedPackages } from './typedoc/entry-points.mjs';

const root = resolve('docs/api');
const screenshots = resolve('reports/docs-screenshots');
if (!existsSync(join(root, 'index.html'))) {
  console.error('docs/api/index.html is missing: run `pnpm run docs` first');
  process.exit(1);
}

/** Words of guides that no symbol is named after: search must find the guides. */
const GUIDE_WORDS = [
  { query: 'Entra', page: /docs\/(server|idp-compatibility)\.html/ },
  { query: 'tombstoned', page: /docs\/patch\.html/ },
];

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.log(`FAIL ${message}`);
};

const server = await serveDirectory();
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await launchChromium();
try {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => fail(`${page.url()}: script error ${error.message}`));

  await crawl(page);
  checkEveryExport();
  await checkSearch(page);
  await newUserJourney(page);
  await screenshotReference(page);
} finally {
  await browser.close();
  server.close();
}
console.log(
  failures.length ? `\n${failures.length} problems in the documentation site` : '\ndocumentation site ok',
);
console.log(`screenshots: ${screenshots}`);
process.exit(failures.length ? 1 : 0);

/**
 * Visits the landing page in the browser for its navigation (built by script), then every page
 * reachable from there; checks links, anchors, raw markdown and headings.
 * @param {import('playwright-core').Page} page
 */
async function crawl(page) {
  await page.goto(base);
  await page.waitForSelector('.tsd-navigation a');
  await page.screenshot({ path: join(screenshots, 'landing.png') });
  const navigation = await page.$$eval('.tsd-navigation a[href]', (links) => links.map((a) => a.href));
  const start = [base, ...navigation];

  /** @type {Map<string, Set<string>>} page URL → element ids */
  const ids = new Map();
  /** @type {{ from: string, to: URL }[]} */
  const links = [];
  const queue = [...new Set(start.map((href) => withoutHash(new URL(href))))];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const url = queue.shift();
    const path = fileOf(url);
    if (!path) {
      fail(`${url}: not found`);
      continue;
    }
    if (/\.(md|markdown)$/i.test(path)) {
      fail(`${url}: a raw markdown file, not a page`);
      continue;
    }
    if (!path.endsWith('.html')) continue; // media such as bench results
    const html = readFileSync(path, 'utf8');
    ids.set(url, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => decodeEntities(match[1]))));
    if (!/<h1[\s>]/.test(html)) fail(`${url}: no heading`);
    if (/^\s*#{1,6} \S/m.test(textOf(html)) && /\[[^\]]+\]\([^)]+\.md\)/.test(textOf(html))) {
      fail(`${url}: shows markdown source`);
    }
    for (const match of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
      const href = decodeEntities(match[1]);
      if (/^(https?:|mailto:)/.test(href) && !href.startsWith(base)) continue;
      const target = new URL(href, url);
      links.push({ from: url, to: target });
      const page = withoutHash(target);
      if (!seen.has(page)) {
        seen.add(page);
        queue.push(page);
      }
    }
  }
  let broken = 0;
  for (const { from, to } of links) {
    const target = withoutHash(to);
    if (!fileOf(target)) {
      broken++;
      fail(`${from}: broken link to ${to.href}`);
    } else if (to.hash && ids.has(target) && !ids.get(target).has(decodeURIComponent(to.hash.slice(1)))) {
      broken++;
      fail(`${from}: link to a missing anchor ${to.href}`);
    }
  }
  const documents = [...ids.keys()].filter((url) => /\/(docs|examples)\//.test(url)).length;
  console.log(
    `crawl: ${ids.size} pages (${documents} guides and examples), ${links.length} internal links, ${broken} broken`,
  );
  if (documents < 10) fail(`only ${documents} guide and example pages are reachable from the landing page`);
}

/**
 * Every exported name of every public entry point has a search entry under its module whose
 * page exists; internal entry points have no module.
 */
function checkEveryExport() {
  const packages = documentedPackages();
  const entries = packages.flatMap((pkg) => pkg.entryPoints.map((entry) => ({ ...entry, pkg })));
  const publicEntries = entries.filter((entry) => !entry.internal);
  const program = ts.createProgram(
    publicEntries.map((entry) => entry.source),
    repositoryCompilerOptions(process.cwd()),
  );
  const checker = program.getTypeChecker();
  const rows = searchRows();
  let names = 0;
  for (const entry of publicEntries) {
    const source = program.getSourceFile(entry.source);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) {
      fail(`${entry.specifier}: ${entry.source} is not a module`);
      continue;
    }
    // A package's main entry is the package page; a subpath is a module under it.
    const parent = entry.subpath === '.' ? entry.pkg.name : `${entry.pkg.name}.${entry.specifier}`;
    for (const symbol of checker.getExportsOfModule(module)) {
      names++;
      const row = rows.find((candidate) => candidate.name === symbol.name && candidate.parent === parent);
      if (!row) fail(`${entry.specifier} exports ${symbol.name}, which search does not find there`);
      else if (!fileOf(new URL(row.url, base).href))
        fail(`${entry.specifier}: ${symbol.name}'s page ${row.url} is missing`);
    }
  }
  for (const entry of entries.filter((candidate) => candidate.internal)) {
    if (rows.some((row) => row.name === entry.specifier))
      fail(`the internal ${entry.specifier} is documented`);
  }
  console.log(
    `exports: ${names} names of ${publicEntries.length} entry points, each with a page and a search entry`,
  );
}

/** The rows of typedoc's search index (assets/search.js: base64 of deflated JSON). */
function searchRows() {
  const script = readFileSync(join(root, 'assets/search.js'), 'utf8');
  const data = /"([A-Za-z0-9+/=]+)"/.exec(script)?.[1] ?? '';
  return JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8')).rows;
}

/**
 * Searches as a reader would (the search dialog) and checks the results.
 * @param {import('playwright-core').Page} page
 */
async function checkSearch(page) {
  const serveNode = await search(page, 'serveNode', 'search-serveNode.png');
  if (!serveNode.some((result) => /_scimkit_server_node\.serveNode\.html$/.test(result.href))) {
    fail(`search "serveNode" does not offer @scimkit/server/node's serveNode: ${describe(serveNode)}`);
  } else console.log('search "serveNode": finds @scimkit/server/node.serveNode');
  for (const { query, page: expected } of GUIDE_WORDS) {
    const results = await search(page, query, `search-${query}.png`);
    if (!results.some((result) => expected.test(result.href))) {
      fail(`search "${query}" finds no guide (${expected}): ${describe(results)}`);
    } else console.log(`search "${query}": finds ${results.filter((r) => expected.test(r.href))[0].text}`);
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} query
 * @param {string} screenshot
 */
async function search(page, query, screenshot) {
  await page.goto(base);
  await page.click('#tsd-search-trigger');
  await page.fill('#tsd-search-input', query);
  await page
    .waitForFunction(() => document.querySelectorAll('#tsd-search-results li').length > 0, null, {
      timeout: 5000,
    })
    .catch(() => {});
  await page.screenshot({ path: join(screenshots, screenshot) });
  const results = await page.$$eval('#tsd-search-results li a', (links) =>
    links.map((a) => ({ text: a.textContent.trim(), href: a.href })),
  );
  await page.keyboard.press('Escape');
  return results;
}

/** @param {{ text: string }[]} results */
function describe(results) {
  return results.length ? results.map((result) => result.text).join(', ') : 'no results';
}

/**
 * The path the documentation promises: landing page → "Expose /scim/v2 for Entra ID and Okta"
 * → serveNode's reference page → its example compiles as copied.
 * @param {import('playwright-core').Page} page
 */
async function newUserJourney(page) {
  await page.goto(base);
  const start = page.getByRole('link', { name: 'Expose /scim/v2 for Entra ID and Okta' }).first();
  if ((await start.count()) === 0)
    return fail('landing page: no link "Expose /scim/v2 for Entra ID and Okta"');
  await start.click();
  await page.waitForLoadState();
  const guide = (await page.textContent('h1'))?.trim();
  await page.screenshot({ path: join(screenshots, 'guide-server.png') });
  if (guide !== 'Expose /scim/v2 for Entra ID and Okta') fail(`the landing page's link opened "${guide}"`);

  const link = page.locator('.col-content a', { hasText: /^serveNode$/ }).first();
  if ((await link.count()) === 0) return fail(`${page.url()}: the guide does not link serveNode`);
  await link.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'guide-server-serveNode-link.png') });
  await link.click();
  await page.waitForLoadState();
  const title = (await page.textContent('h1'))?.trim() ?? '';
  const breadcrumb = ((await page.textContent('.tsd-breadcrumb')) ?? '').replace(/\s+/g, ' ').trim();
  await page.screenshot({ path: join(screenshots, 'serveNode.png'), fullPage: true });
  if (!title.includes('serveNode') || !breadcrumb.includes('@scimkit/server/node')) {
    return fail(`serveNode link opened "${title}" (${breadcrumb}) at ${page.url()}`);
  }
  const examples = await page.$$eval('.col-content pre code', (blocks) =>
    blocks.map((code) => code.textContent ?? ''),
  );
  const example = examples.find((code) => code.includes('serveNode('));
  if (!example) return fail(`${page.url()}: no example calling serveNode`);
  const errors = compileSnippet(example);
  if (errors.length) fail(`serveNode's example does not compile as copied:\n${errors.join('\n')}`);
  else console.log(`journey: landing page → "${guide}" → ${title} (${breadcrumb}): its example compiles`);
}

/**
 * Screenshots of reference pages worth a look: a resource with its attribute table, a package
 * with its entry points, an example.
 * @param {import('playwright-core').Page} page
 */
async function screenshotReference(page) {
  const shots = [
    ['interfaces/_scimkit_schema.User.html', 'User.png'],
    ['modules/_scimkit_server.html', 'package-server.png'],
    ['examples/express-sqlite/index.html', 'example-express-sqlite.png'],
  ];
  for (const [path, file] of shots) {
    const response = await page.goto(new URL(path, base).href);
    if (!response?.ok()) fail(`${path}: ${response?.status()}`);
    await page.screenshot({ path: join(screenshots, file) });
  }
  await page.goto(new URL('interfaces/_scimkit_schema.User.html', base).href);
  const rows = await page.$$eval('.col-content table tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
  for (const attribute of ['userName', 'emails.value', 'meta.version', 'groups.display']) {
    if (!rows.some((row) => row.includes(attribute)))
      fail(`the User page's attribute table lacks ${attribute}`);
  }
}

/** @param {URL} url */
function withoutHash(url) {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

/** The file a URL of the site maps to, if it exists. @param {string} url */
function fileOf(url) {
  const pathname = decodeURIComponent(new URL(url).pathname);
  let file = normalize(join(root, pathname));
  if (!file.startsWith(root)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) ? file : undefined;
}

/** The visible text of a page's content column, roughly. @param {string} html */
function textOf(html) {
  const content = html.split('<div class="col-content">')[1] ?? '';
  return decodeEntities(content.replace(/<pre[\s\S]*?<\/pre>/g, '').replace(/<[^>]+>/g, ''));
}

/** @param {string} text */
function decodeEntities(text) {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** Serves the site's files (`fileOf`) on 127.0.0.1. */
function serveDirectory() {
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
  };
  const http = createServer((request, response) => {
    const file = fileOf(new URL(request.url ?? '/', 'http://127.0.0.1').href);
    if (!file) return response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((done) => http.listen(0, '127.0.0.1', () => done(http)));
}
