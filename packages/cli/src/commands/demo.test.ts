import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScimkit } from '../../test/run-cli.js';
import { excerpt } from './demo.js';

interface Step {
  title: string;
  exchanges: { method: string; path: string; status: number; details: string[] }[];
  notes: string[];
}

/** Splits the demo's output into numbered steps and their HTTP exchanges. */
function parseDemo(stdout: string): Step[] {
  const steps: Step[] = [];
  let current: Step | undefined;
  for (const line of stdout.split('\n')) {
    const heading = /^(\d+)\. (.+)$/.exec(line);
    if (heading) {
      current = { title: heading[2]!, exchanges: [], notes: [] };
      steps.push(current);
      continue;
    }
    if (line.includes('(setup:')) current = undefined;
    const exchange = /^ {3}(GET|POST|PUT|PATCH|DELETE) +(\S.*) → (\d{3})/.exec(line);
    if (exchange && current) {
      current.exchanges.push({
        method: exchange[1]!,
        path: exchange[2]!,
        status: Number(exchange[3]),
        details: [],
      });
    } else if (/^ {5}\S/.test(line) && current) current.exchanges.at(-1)?.details.push(line.trim());
    else if (/^ {3}✓ /.test(line) && current) current.notes.push(line.trim().slice(2));
  }
  return steps;
}

const directory = mkdtempSync(join(tmpdir(), 'scimkit-cli-demo-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('scimkit demo', () => {
  it('walks discovery, joiner, group join, mover, reconciliation and leaver with the expected statuses', async () => {
    const run = await runScimkit(['demo'], { timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const steps = parseDemo(run.stdout);
    expect(steps.map((step) => step.title.split(':')[0])).toEqual([
      'Discovery',
      'Joiner',
      'Group join',
      'Mover',
      'Reconciliation',
      'Leaver',
    ]);
    expect(steps.map((step) => step.exchanges[0]?.status)).toEqual([200, 201, 200, 200, 200, 200]);
    // Run from source in a clone: it suggests the clone's launcher, which works when piped.
    expect(run.stdout).toContain(
      'Try it yourself: ./scimkit serve --port 8080 --token secret, then ./scimkit users list',
    );

    const [discovery, joiner, groupJoin, mover, reconciliation, leaver] = steps as [
      Step,
      Step,
      Step,
      Step,
      Step,
      Step,
    ];
    expect(discovery.exchanges[0]).toMatchObject({ method: 'GET', path: '/ServiceProviderConfig' });
    expect(discovery.exchanges[0]!.details.join('\n')).toContain('"patch":{"supported":true}');

    const created = joiner.exchanges[0]!;
    expect(created).toMatchObject({ method: 'POST', path: '/Users' });
    const location = created.details.find((detail) => detail.startsWith('Location: '));
    const id = /\/Users\/([\w-]+)$/.exec(location ?? '')?.[1];
    expect(id).toBeDefined();
    expect(created.details.join('\n')).toContain('"externalId":"E1234"');
    expect(created.details.join('\n')).toContain(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    );
    expect(joiner.notes[0]).toContain(`minted id ${id}`);

    expect(groupJoin.exchanges[0]).toMatchObject({ method: 'PATCH' });
    expect(groupJoin.exchanges[0]!.path).toMatch(/^\/Groups\/[\w-]+$/);
    expect(groupJoin.exchanges[0]!.details.join('\n')).toContain(
      `"op":"add","path":"members","value":[{"value":"${id}"}]`,
    );

    expect(mover.exchanges[0]).toMatchObject({ method: 'PATCH', path: `/Users/${id}` });
    expect(mover.exchanges[0]!.details).toContain('If-Match: W/"1"');
    expect(mover.exchanges[0]!.details.join('\n')).toContain(
      '"path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"',
    );
    expect(mover.notes[0]).toContain('department is now Finance');

    expect(reconciliation.exchanges[0]!.method).toBe('GET');
    expect(reconciliation.exchanges[0]!.path).toMatch(
      /^\/Users\?filter=externalId eq "E1234"&startIndex=1&count=\d+$/,
    );
    expect(reconciliation.exchanges[0]!.details.join('\n')).toContain('"totalResults":1');

    expect(leaver.exchanges[0]).toMatchObject({ method: 'PATCH', path: `/Users/${id}` });
    expect(leaver.exchanges[0]!.details.join('\n')).toContain('"path":"active","value":false');
    expect(leaver.notes[0]).toContain('active is now false');
    expect(leaver.exchanges[0]!.details).toContain(
      `response: {"id":"${id}","userName":"bjensen@example.com","active":false,…}`,
    );

    // The temporary database is gone afterwards.
    const store = /store: SQLite (\S+)/.exec(run.stdout)?.[1];
    expect(store).toBeDefined();
    expect(existsSync(store!)).toBe(false);
  });

  it('with --hard-delete deletes the user (204) and shows the 404 that follows, keeping a --db file', async () => {
    const db = join(directory, 'demo.db');
    const run = await runScimkit(['demo', '--hard-delete', '--db', db], { timeout: 60_000 });
    expect(run.code).toBe(0);
    const steps = parseDemo(run.stdout);
    expect(steps).toHaveLength(7);
    const last = steps[6]!;
    expect(last.exchanges.map((exchange) => [exchange.method, exchange.status])).toEqual([
      ['DELETE', 204],
      ['GET', 404],
    ]);
    expect(last.exchanges[1]!.path).toBe(last.exchanges[0]!.path);
    expect(last.exchanges[1]!.details.join('\n')).toContain('"status":"404"');
    expect(statSync(db).size).toBeGreaterThan(0);
  });
});

describe('excerpt', () => {
  it('drops schemas and meta and cuts long bodies to one line', () => {
    expect(excerpt('{"schemas":["x"],"id":"1",\n"meta":{"version":"W/\\"1\\""}}')).toBe('{"id":"1"}');
    expect(excerpt('x'.repeat(300), { limit: 20 })).toBe(`${'x'.repeat(19)}…`);
  });

  it('picks the attributes a step is about and marks the rest with …', () => {
    expect(
      excerpt('{"id":"1","userName":"b","name":{"givenName":"B"},"active":false}', {
        pick: ['id', 'active'],
      }),
    ).toBe('{"id":"1","active":false,…}');
    expect(excerpt('{"id":"1"}', { pick: ['id', 'active'] })).toBe('{"id":"1"}');
  });

  it('keeps resource schemas of requests but not message schemas', () => {
    expect(excerpt('{"schemas":["urn:x:User"],"userName":"b"}', { request: true })).toBe(
      '{"schemas":["urn:x:User"],"userName":"b"}',
    );
    expect(
      excerpt('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}', {
        request: true,
      }),
    ).toBe('{"Operations":[]}');
  });
});
