import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import setup from './global-setup.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Whether a PostgreSQL server answers at `url`. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return condition();
}

// Only about the scratch cluster: with SCIMKIT_PG_URL set, global setup starts nothing.
describe.skipIf(process.env['SCIMKIT_PG_URL'] !== undefined)('store-postgres global setup', () => {
  it('stops its scratch cluster at teardown', async () => {
    let url = '';
    const teardown = await setup({ provide: (_key: string, value: string) => (url = value) } as never);
    expect(await answers(url)).toBe(true);
    teardown?.();
    expect(await answers(url)).toBe(false);
  });

  it('stops its scratch cluster when the process that started it is killed before teardown', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsx,
        '--input-type=module',
        '-e',
        `const { default: setup } = await import(${JSON.stringify(path.join(here, 'global-setup.ts'))});
         await setup({ provide: (_key, value) => console.log(value) });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((text) => text.startsWith('postgres://'));
        if (line) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`setup exited with ${code}`)));
    });
    expect(await answers(url)).toBe(true);
    child.kill('SIGKILL');
    expect(await until(async () => !(await answers(url)), 15_000)).toBe(true);
  });
});
