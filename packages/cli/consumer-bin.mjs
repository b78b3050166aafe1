// Called by the consumer matrix (tools/consumers/run.mjs) in a project where the packed CLI was
// installed with npm: runs `scimkit` from that install, as a user does (`npx scimkit …`), once
// next to every other package and once installed alone, without the stores (optional peers).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'consumer-matrix-token';

export default async ({ project, alone, run, start, check }) => {
  const { version } = JSON.parse(
    readFileSync(join(project, 'node_modules', '@scimkit', 'cli', 'package.json'), 'utf8'),
  );

  await check('scimkit --version', async () => {
    const result = await run(['scimkit', '--version']);
    expect(result.code === 0 && result.stdout === `${version}\n`, 'prints the version', result);
  });

  await check('scimkit serve, then users create, users list, openapi, codegen and check piped', async () => {
    const server = start(['scimkit', 'serve', '--port', '0', '--token', TOKEN]);
    let stopped;
    try {
      const url = await server.firstLine();
      expect(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/.test(url), `serve prints its base URL, got ${url}`);
      const connection = ['--url', url, '--token', TOKEN];
      const created = await run(['scimkit', 'users', 'create', '--set', 'userName=bjensen', ...connection]);
      expect(created.code === 0, 'users create exits 0', created);
      const listed = await run([
        'scimkit',
        'users',
        'list',
        '--filter',
        'active eq true',
        '-o',
        'json',
        ...connection,
      ]);
      expect(listed.code === 0, 'users list exits 0', listed);
      const users = JSON.parse(listed.stdout);
      expect(users.length === 1 && users[0].userName === 'bjensen', 'lists the new, active user', listed);
      const openapi = await run(['scimkit', 'openapi', ...connection]);
      expect(
        openapi.code === 0 && JSON.parse(openapi.stdout).openapi === '3.1.0',
        'openapi prints the document',
        openapi,
      );
      // codegen needs openapi-typescript, an optional peer: installed next to every package only.
      const codegen = await run(['scimkit', 'codegen', ...connection]);
      if (!alone) {
        expect(
          codegen.code === 0 && codegen.stdout.includes('export const scimResources'),
          'codegen writes types',
          codegen,
        );
      } else {
        expect(
          codegen.code === 1 &&
            codegen.stderr.includes('npm install --save-dev openapi-typescript typescript'),
          'codegen without openapi-typescript says what to install',
          codegen,
        );
      }
      const checked = await run(['scimkit', 'check', '--only', 'users', '-o', 'json', ...connection]);
      const report = checked.code === 0 ? JSON.parse(checked.stdout) : undefined;
      expect(
        report?.ok === true && report.summary.passed > 0 && report.summary.failed === 0,
        'check passes its users checks against the reference server',
        checked,
      );
    } finally {
      stopped = await server.stop('SIGTERM');
    }
    expect(
      stopped.code === 0 && stopped.stderr.includes('stopped'),
      'serve stops on SIGTERM with 0',
      stopped,
    );
    expect(!stopped.stderr.includes(TOKEN), 'serve never prints a token it was given', stopped);
  });

  await check('scimkit serve --console, then its demo through the console API', async () => {
    const consoleToken = 'consumer-matrix-console-token';
    const server = start([
      'scimkit',
      'serve',
      '--port',
      '0',
      '--token',
      TOKEN,
      '--console',
      '--console-token',
      consoleToken,
    ]);
    let stopped;
    try {
      await server.firstLine();
      const [, link] = await server.stderrMatch(/console: (http:\/\/127\.0\.0\.1:\d+\/console\/)/);
      const page = await fetch(link);
      expect(page.status === 200 && (await page.text()).includes('console.js'), `the page at ${link}`);
      const api = (path, init = {}) =>
        fetch(new URL(`api/${path}`, link), {
          ...init,
          headers: { authorization: `Bearer ${consoleToken}`, 'content-type': 'application/json' },
        });
      const started = await api('demo', { method: 'POST', body: '{"hardDelete":true}' });
      expect(started.status === 202, `POST api/demo answered ${started.status}`);
      let state;
      for (let i = 0; i < 200; i++) {
        state = (await (await api('state')).json()).demo;
        if (!state.running) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(!state.running && !state.error, `the demo ends without an error: ${JSON.stringify(state)}`);
      const { exchanges } = await (await api('exchanges')).json();
      const statuses = exchanges.map((exchange) => exchange.status).join(' ');
      expect(/201.*204 404$/.test(statuses), `the console recorded the demo's exchanges: ${statuses}`);
    } finally {
      stopped = await server.stop('SIGTERM');
    }
    expect(stopped.code === 0, 'serve --console stops on SIGTERM with 0', stopped);
    expect(
      !stopped.stderr.includes(consoleToken),
      'serve never prints a console token it was given',
      stopped,
    );
  });

  await check('scimkit filter check (offline, exit 0 and 2)', async () => {
    const valid = await run(['scimkit', 'filter', 'check', 'userName eq bjensen']);
    expect(valid.code === 0 && valid.stdout === 'userName eq "bjensen"\n', 'canonical form', valid);
    const invalid = await run(['scimkit', 'filter', 'check', 'userName eq']);
    expect(invalid.code === 2 && /invalid filter/.test(invalid.stderr), 'syntax error exits 2', invalid);
  });

  if (!alone) {
    await check('scimkit demo (SQLite)', async () => {
      const demo = await run(['scimkit', 'demo', '--hard-delete']);
      expect(demo.code === 0, 'demo exits 0', demo);
      expect(/store: SQLite /.test(demo.stdout), 'demo runs on SQLite', demo);
      expect(/DELETE .* 204/.test(demo.stdout) && /→ 404/.test(demo.stdout), 'demo deletes', demo);
      expect(
        demo.stdout.includes('Try it yourself: scimkit serve'),
        'demo suggests the installed command',
        demo,
      );
    });
  } else {
    await check('installing @scimkit/cli compiles no better-sqlite3 and pulls no pg', async () => {
      const drivers = ['better-sqlite3', 'pg'].filter((name) =>
        existsSync(join(project, 'node_modules', name)),
      );
      expect(drivers.length === 0, `installed with the CLI: ${drivers.join(', ')}`);
    });
    await check('scimkit serve --db names the missing @scimkit/store-sqlite', async () => {
      const result = await run(['scimkit', 'serve', '--port', '0', '--token', TOKEN, '--db', 'x.db']);
      expect(
        result.code === 1 && /npm install @scimkit\/store-sqlite\b/.test(result.stderr),
        'exits 1 and says what to install',
        result,
      );
    });
    await check('scimkit serve --database names the missing @scimkit/store-postgres', async () => {
      const result = await run(['scimkit', 'serve', '--database', 'postgres://scim@127.0.0.1:1/scim']);
      expect(
        result.code === 1 && /npm install @scimkit\/store-postgres\b/.test(result.stderr),
        'exits 1 and says what to install',
        result,
      );
    });
    await check('scimkit demo falls back to the in-memory store', async () => {
      const demo = await run(['scimkit', 'demo']);
      expect(demo.code === 0 && /store: in memory/.test(demo.stdout), 'demo exits 0 in memory', demo);
      expect(/@scimkit\/store-sqlite/.test(demo.stderr), 'demo says how to get SQLite', demo);
    });
  }
};

function expect(condition, what, result) {
  if (condition) return;
  const detail = result
    ? `\nexit ${result.code}${result.signal ? ` (${result.signal})` : ''}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
    : '';
  throw new Error(`${what}${detail}`);
}
