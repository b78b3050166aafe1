// The client in a real browser: bundled for `platform: 'browser'` (a `node:` import would
// fail the bundle), loaded by headless Chromium from the same origin as a @scimkit/server,
// and driven from the page. Chromium is the system one (/usr/bin/chromium, or CHROMIUM_PATH).
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { createNodeHandler } from '@scimkit/server/node';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'browser-token';
const here = dirname(fileURLToPath(import.meta.url));

/** Bundles `@scimkit/client` from source for browsers with the esbuild that tsup brings. */
async function bundleClient(): Promise<string> {
  const require = createRequire(join(here, '..', 'package.json'));
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as {
    build(options: object): Promise<{ outputFiles: { text: string }[] }>;
  };
  const result = await esbuild.build({
    stdin: {
      contents: "export { createScimClient, isScimHttpError } from '@scimkit/client';",
      resolveDir: here,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@scimkit/source', 'browser', 'import', 'default'],
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

describe('@scimkit/client in a browser', () => {
  let http: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const bundle = await bundleClient();
    const scim = createNodeHandler(
      createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } }),
    );
    http = createServer((request, response) => {
      if (request.url === '/client.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        response.end(bundle);
      } else if (request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          '<!doctype html><title>client</title><script type="module">' +
            "import * as client from '/client.js'; window.scimkitClient = client;</script>",
        );
      } else {
        scim(request, response);
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  });

  it('creates, lists and patches over fetch from a page', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'scimkitClient' in window);
    const outcome = await page.evaluate(async (token) => {
      const { createScimClient, isScimHttpError } = (
        window as unknown as { scimkitClient: typeof import('@scimkit/client') }
      ).scimkitClient;
      const client = createScimClient({ baseUrl: `${location.origin}/scim/v2`, token });
      const ada = await client.users.create({ userName: 'ada' });
      await client.users.create({ userName: 'grace' });
      await client.users.create({ userName: 'edsger' });
      const names = [];
      for await (const user of client.users.list({ pageSize: 2, sortBy: 'userName' }))
        names.push(user.userName);
      const deactivated = await client.users.deactivate(ada.id);
      const missing = await client.users.get('nope').catch((error: unknown) => error);
      return {
        names,
        active: deactivated?.active,
        status: isScimHttpError(missing) ? missing.status : undefined,
        userAgent: navigator.userAgent,
      };
    }, TOKEN);
    expect(outcome.names).toEqual(['ada', 'edsger', 'grace']);
    expect(outcome.active).toBe(false);
    expect(outcome.status).toBe(404);
    expect(outcome.userAgent).toContain('Chrome');
  });
});
