import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { createProgram, runCli } from './program.js';

function captureIo(env: Record<string, string | undefined> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: {
      write(chunk) {
        out.stdout += chunk;
        return true;
      },
    },
    stderr: {
      write(chunk) {
        out.stderr += chunk;
        return true;
      },
    },
    env: { NO_COLOR: '1', ...env },
  };
  return { io, out };
}

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

describe('runCli', () => {
  it('prints help with examples for every command and exits 0', async () => {
    const { io } = captureIo();
    const paths = commandPaths(
      createProgram({ io, signal: new AbortController().signal, argv: [], exitCode: 0 }),
    );
    expect(paths.map((path) => path.join(' '))).toEqual(
      expect.arrayContaining([
        'demo',
        'serve',
        'users list',
        'groups members add',
        'import',
        'export',
        'filter check',
      ]),
    );
    for (const path of [[], ...paths]) {
      const { io: captured, out } = captureIo();
      expect(await runCli([...path, '--help'], { io: captured }), path.join(' ')).toBe(0);
      expect(out.stdout, path.join(' ')).toContain('Examples:\n  $ scimkit');
    }
  });

  it('exits 2 with one line on stderr for an unknown option or command', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['users', 'list', '--filtr', 'x'], { io })).toBe(2);
    expect(out.stderr).toBe("scimkit: unknown option '--filtr' (Did you mean --filter?)\n");
    const second = captureIo();
    expect(await runCli(['usrs'], { io: second.io })).toBe(2);
    expect(second.out.stderr).toBe("scimkit: unknown command 'usrs' (Did you mean users?)\n");
  });

  it('exits 2 and names the flag and variable when no server is given', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['users', 'get', 'x'], { io })).toBe(2);
    expect(out.stderr).toBe('scimkit: no server given: pass --url <base URL> or set SCIM_URL\n');
  });

  it('rejects a malformed --url and a bad --output choice as usage errors', async () => {
    const first = captureIo();
    expect(await runCli(['users', 'list', '--url', 'ftp://x', '--token', 't'], { io: first.io })).toBe(2);
    expect(first.out.stderr).toContain('must be an http:// or https:// URL');
    const second = captureIo();
    expect(await runCli(['users', 'list', '--output', 'xml'], { io: second.io })).toBe(2);
    expect(second.out.stderr).toMatch(/^scimkit: option '-o, --output <format>' argument 'xml' is invalid/);
  });

  it('colours the error prefix only when asked to', async () => {
    const forced = captureIo({ NO_COLOR: undefined, FORCE_COLOR: '1' });
    await runCli(['users', 'get', 'x'], { io: forced.io });
    expect(forced.out.stderr).toContain('\u001b[31mscimkit:\u001b[39m');
    const disabled = captureIo({ NO_COLOR: undefined, FORCE_COLOR: '1' });
    await runCli(['users', 'get', 'x', '--no-color'], { io: disabled.io });
    expect(disabled.out.stderr).not.toContain('\u001b[');
  });
});
