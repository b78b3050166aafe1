import { describe, expect, it } from 'vitest';
import { runScimkit } from '../../test/run-cli.js';

describe('scimkit filter check', () => {
  it('prints the canonical form and exits 0', async () => {
    const run = await runScimkit([
      'filter',
      'check',
      'userName EQ "bjensen" and (title pr or emails[type eq "work"])',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('userName eq "bjensen" and (title pr or emails[type eq "work"])\n');
  });

  it('shows the error with a caret under the position and exits 2', async () => {
    const run = await runScimkit(['filter', 'check', 'userName eq "bjensen" and']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines[0]).toMatch(/^scimkit: invalid filter: Expected .+, found end of input at position 25\.$/);
    expect(lines[1]).toBe('  userName eq "bjensen" and');
    expect(lines[2]).toBe(`  ${' '.repeat(25)}^`);
  });

  it('accepts what identity providers send by default, as users list --filter does', async () => {
    const entra = await runScimkit(['filter', 'check', 'emails[type eq "work"].value eq "b@example.com"']);
    expect(entra).toMatchObject({ code: 0, stdout: 'emails[type eq "work" and value eq "b@example.com"]\n' });
    const unquoted = await runScimkit(['filter', 'check', 'userName eq bjensen']);
    expect(unquoted).toMatchObject({ code: 0, stdout: 'userName eq "bjensen"\n', stderr: '' });
  });

  it('checks the RFC 7644 grammar only with --strict', async () => {
    const entra = await runScimkit([
      'filter',
      'check',
      '--strict',
      'emails[type eq "work"].value eq "b@example.com"',
    ]);
    expect(entra.code).toBe(2);
    expect(entra.stderr).toContain('accepted only in lenient mode');
    const unquoted = await runScimkit(['filter', 'check', 'userName eq bjensen', '--strict']);
    expect(unquoted.code).toBe(2);
    expect(unquoted.stderr.split('\n')[0]).toMatch(
      /^scimkit: invalid filter: Expected a value .*, found "bjensen" at position 12\.$/,
    );
  });

  it('prints the syntax tree as JSON with --ast', async () => {
    const run = await runScimkit(['filter', 'check', '--ast', 'title pr']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: 'Present',
      path: { kind: 'AttributePath', attribute: 'title' },
    });
  });
});
