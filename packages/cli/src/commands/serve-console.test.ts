/**
 * `scimkit serve --console` as a person uses it: start it from the command line, open the
 * printed link in headless Chromium, run the demo, watch the exchanges arrive, and check that
 * nothing secret reaches the page. Screenshots go to reports/console-screenshots/.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../tools/chromium.mjs';
import { exited, spawnScimkit, waitForOutput } from '../../test/run-cli.js';

const screenshots = fileURLToPath(new URL('../../../../reports/console-screenshots/', import.meta.url));
const PASSWORD = 'Correct-Horse-Battery-Staple-9';
const QUERY_TOKEN = 'query-string-token-4711';

/** Starts `scimkit serve` with `args` and waits for everything it prints at start-up. */
async function serve(args: string[]) {
  const child = spawnScimkit(['serve', '--port', '0', ...args]);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const baseUrl = (await waitForOutput(child, /\n/)).trim();
  for (let attempt = 0; attempt < 100 && !stderr.includes('Ctrl-C'); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, baseUrl, stderr: () => stderr };
}

const EXPECTED_RUN = [
  'GET 200 OK Discovery',
  'GET 200 OK Discovery',
  'GET 200 OK Discovery',
  'POST 201 Created Group push',
  'POST 201 Created Joiner',
  'PATCH 200 OK Group join',
  'PATCH 200 OK Mover',
  'GET 200 OK Reconciliation',
  'PATCH 200 OK Leaver',
];

/** The rows of the exchange list: `METHOD status-text step` each. */
function rows(page: Page): Promise<string[]> {
  return page.$$eval('#rows tr', (trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      const status = tr.querySelector('.status')?.textContent ?? '';
      return `${cells[1]} ${status} ${cells[6]}`;
    }),
  );
}

async function rowCount(page: Page, count: number) {
  await page.waitForFunction((n) => document.querySelectorAll('#rows tr').length >= n, count, {
    timeout: 20_000,
  });
}

describe('scimkit serve --console in a browser', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let page: Page;
  let link: string;
  let scimToken: string;
  let consoleToken: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await serve(['--console']);
    link = /console: (\S+)/.exec(server.stderr())?.[1] ?? '';
    scimToken = /SCIM_TOKEN=(\S+)/.exec(server.stderr())?.[1] ?? '';
    consoleToken = decodeURIComponent(/#token=(\S+)/.exec(link)?.[1] ?? '');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    if (server) expect(await exited(server.child)).toEqual({ code: 0, signal: null });
  });

  it('prints a console link on 127.0.0.1 with a token of its own', () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/#token=[\w-]{40,}$/);
    expect(new URL(link).port).not.toBe(new URL(server.baseUrl).port);
    expect(consoleToken).not.toBe(scimToken);
  });

  it('opens signed in from the link, and takes the token out of the address bar', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(link);
    await page.waitForSelector('#connection.live');
    expect(page.url()).toBe(link.slice(0, link.indexOf('#')));
    expect(await page.textContent('#empty')).toContain('No exchanges yet');
    expect(errors).toEqual([]);
  });

  it('runs the demo: every exchange appears in order with its status and step', async () => {
    await page.click('#run-demo');
    await rowCount(page, EXPECTED_RUN.length);
    await page.waitForFunction(() => document.querySelector('#demo-status')?.textContent === 'done');
    expect(await rows(page)).toEqual(EXPECTED_RUN);
    expect(
      await page.$$eval('#rows td.principal', (cells) => [...new Set(cells.map((cell) => cell.textContent))]),
    ).toEqual(['console demo']);
    await page.screenshot({ path: `${screenshots}exchanges.png` });
  });

  it('with Hard delete, adds DELETE 204 and the 404 that follows', async () => {
    await page.check('#hard-delete');
    await page.click('#run-demo');
    await rowCount(page, EXPECTED_RUN.length * 2 + 2);
    await page.waitForFunction(() => document.querySelector('#demo-status')?.textContent === 'done');
    const all = await rows(page);
    expect(all.slice(EXPECTED_RUN.length)).toEqual([
      ...EXPECTED_RUN,
      'DELETE 204 No Content Hard delete',
      'GET 404 Not Found Hard delete',
    ]);
    const paths = await page.$$eval('#rows td.path', (cells) =>
      cells.slice(-2).map((cell) => cell.textContent),
    );
    expect(paths[0]).toMatch(/^\/scim\/v2\/Users\/[\w-]+$/);
    expect(paths[1]).toBe(paths[0]);
  });

  it('shows a request from outside with a bad filter, its 400 and its scimType, and what a POST had dropped', async () => {
    const before = (await rows(page)).length;
    const response = await fetch(
      `${server.baseUrl}/Users?filter=${encodeURIComponent('userName eq')}&access_token=${QUERY_TOKEN}`,
      { headers: { authorization: `Bearer ${scimToken}` } },
    );
    expect(response.status).toBe(400);
    const created = await fetch(`${server.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'outsider@example.com', password: PASSWORD, shoeSize: 44 }),
    });
    expect(created.status).toBe(201);
    await rowCount(page, before + 2);
    const [badFilter, post] = (await rows(page)).slice(before);
    expect(badFilter).toBe('GET 400 Bad Request Reconciliation');
    expect(post).toBe('POST 201 Created Joiner');
    const last = page.locator('#rows tr').nth(before);
    expect(await last.locator('.scim-type').textContent()).toBe('invalidFilter');
    expect(await last.locator('td.principal').textContent()).toBe('serve token');
    expect(await last.locator('td.path').textContent()).toBe(
      '/scim/v2/Users?filter=userName eq&access_token=[redacted]',
    );

    await last.click();
    await page.waitForSelector('#detail .scim-error');
    const error = await page.textContent('#detail .scim-error');
    expect(error).toContain('invalidFilter');
    expect(error).toContain('Expected a value');
    await page.screenshot({ path: `${screenshots}detail-error.png` });

    await page
      .locator('#rows tr')
      .nth(before + 1)
      .click();
    await page.waitForFunction(() =>
      document.querySelector('#detail h4')?.textContent?.startsWith('created User'),
    );
    expect(await page.textContent('#detail')).toContain('"password": "[redacted]"');
    // An attribute no schema defines: dropped by the server, and the console says so.
    expect(await page.textContent('#detail .ignored')).toContain('shoeSize');
  });

  it('filters by status, method, resource and text', async () => {
    const total = (await rows(page)).length;
    await page.selectOption('#filter-status', '4');
    expect(await rows(page)).toEqual(['GET 404 Not Found Hard delete', 'GET 400 Bad Request Reconciliation']);
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-method', 'DELETE');
    expect(await rows(page)).toEqual(['DELETE 204 No Content Hard delete']);
    await page.selectOption('#filter-method', '');
    await page.selectOption('#filter-resource', 'Groups');
    expect((await rows(page)).every((row) => /Group (push|join)$/.test(row))).toBe(true);
    await page.selectOption('#filter-resource', '');
    await page.fill('#filter-text', 'invalidfilter');
    expect(await rows(page)).toEqual(['GET 400 Bad Request Reconciliation']);
    expect(await page.textContent('#count')).toBe(`1 of ${total} exchanges`);
    await page.fill('#filter-text', '');
    expect((await rows(page)).length).toBe(total);
  });

  it('draws the flow as three lanes with the steps of the story', async () => {
    await page.click('#tab-flow');
    await page.waitForSelector('#flow-view:not([hidden])');
    const steps = await page.$$eval('#flow .flow-step .step-name', (names) =>
      names.map((name) => name.textContent),
    );
    const story = ['Discovery', 'Group push', 'Joiner', 'Group join', 'Mover', 'Reconciliation', 'Leaver'];
    expect(steps).toEqual([...story, ...story, 'Hard delete', 'Reconciliation', 'Joiner']);
    const stores = await page.$$eval('#flow .arrow.store.write .label', (labels) =>
      labels.map((label) => label.textContent),
    );
    expect(stores.slice(0, 4).map((label) => label?.replace(/ [\w-]{8}$/, ''))).toEqual([
      'create Group',
      'create User',
      'update Group',
      'update User',
    ]);
    expect(stores).toContainEqual(expect.stringMatching(/^deactivate User /));
    expect(stores).toContainEqual(expect.stringMatching(/^delete User /));
    // The mover: the department changes in the store.
    await page.locator('#flow .flow-exchange').nth(6).click();
    await page.waitForFunction(() =>
      document.querySelector('#detail .diff')?.textContent?.includes('Finance'),
    );
    await page.screenshot({ path: `${screenshots}flow.png` });
  });

  it('shows no password and no token anywhere: the page, every detail, the live stream', async () => {
    // Open every exchange's detail and collect what the page showed.
    await page.click('#tab-exchanges');
    const count = await page.locator('#rows tr').count();
    let shown = '';
    for (let i = 0; i < count; i++) {
      const row = page.locator('#rows tr').nth(i);
      const id = await row.getAttribute('data-id');
      await row.click();
      await page.waitForFunction(
        (selected) =>
          document.querySelector(`#rows tr[data-id="${selected}"]`)?.classList.contains('selected') &&
          document.querySelector('#detail h2') !== null,
        id,
      );
      shown += await page.evaluate(() => document.documentElement.outerHTML + document.body.textContent);
    }
    shown += await page.content();
    const stream = await fetch(`${new URL(link).origin}/console/api/events`, {
      headers: { authorization: `Bearer ${consoleToken}` },
    });
    const reader = stream.body!.getReader();
    let raw = '';
    while (!raw.includes(`"id":${count},`)) raw += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    for (const text of [shown, raw]) {
      for (const secret of [PASSWORD, scimToken, consoleToken, QUERY_TOKEN])
        expect(text).not.toContain(secret);
    }
    expect(shown).toContain('Bearer [redacted]');
  });

  it('refuses the console without its token, with the SCIM token, and the console token on /scim/v2', async () => {
    const origin = new URL(link).origin;
    expect((await fetch(`${origin}/console/api/exchanges`)).status).toBe(401);
    expect(
      (await fetch(`${origin}/console/api/exchanges`, { headers: { authorization: `Bearer ${scimToken}` } }))
        .status,
    ).toBe(401);
    expect(
      (await fetch(`${server.baseUrl}/Users`, { headers: { authorization: `Bearer ${consoleToken}` } }))
        .status,
    ).toBe(401);
    const fresh = await browser.newPage();
    await fresh.goto(`${origin}/console/`);
    await fresh.waitForSelector('#sign-in:not([hidden])');
    await fresh.fill('#token-input', scimToken);
    await fresh.click('#sign-in-form button[type=submit]');
    await fresh.waitForFunction(() => document.querySelector('#sign-in-error')?.textContent !== '');
    expect(await fresh.textContent('#sign-in-error')).toContain('SCIM bearer tokens do not open the console');
    expect(await fresh.isHidden('#app')).toBe(true);
    await fresh.close();
  });
});

describe('scimkit serve --console options', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('warns when the console listens beyond 127.0.0.1, and keeps a given console token out of the output', async () => {
    const token = 'a-console-token-of-my-own';
    const server = await serve(['--console', '--console-host', '0.0.0.0', '--console-token', token]);
    children.push(server.child);
    expect(server.stderr()).toMatch(
      /console: http:\/\/127\.0\.0\.1:\d+\/console\/ \(sign in with the console token you gave\)/,
    );
    expect(server.stderr()).toContain('warning: the console listens on 0.0.0.0');
    expect(server.stderr()).not.toContain(token);
    server.child.kill('SIGINT');
    expect(await exited(server.child)).toEqual({ code: 0, signal: null });
  });

  it('refuses console options without --console, a short console token, or the SCIM token as console token', async () => {
    const cases: [string[], string][] = [
      [['--console-port', '9000'], '--console-port needs --console'],
      [['--console', '--console-token', 'short'], '--console-token must be at least 16 characters'],
      [
        ['--console', '--token', 'same-token-0123456789', '--console-token', 'same-token-0123456789'],
        '--console-token must differ from the SCIM token',
      ],
      [['--console', '--console-port', '70000'], '--console-port must be 0-65535, got "70000"'],
    ];
    for (const [args, message] of cases) {
      const child = spawnScimkit(['serve', '--port', '0', ...args]);
      children.push(child);
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      expect(await exited(child)).toEqual({ code: 2, signal: null });
      expect(stderr).toContain(message);
    }
  });
});
