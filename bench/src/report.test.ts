import { describe, expect, it } from 'vitest';
import type { Measurement } from './harness.js';
import { machineInfo } from './machine.js';
import { beforeAfter, checkTargets, markdown, type Results, textTables } from './report.js';

const m = (
  suite: string,
  caseName: string,
  library: string,
  opsPerSec: number,
  failed = false,
): Measurement => ({
  suite,
  case: caseName,
  library,
  opsPerSec,
  unit: 'op',
  rme: 1,
  samples: 10,
  ...(failed ? { failed: true, note: 'error: boom' } : {}),
});

const measurements = [
  m('filter-parse', 'common corpus (3 filters)', 'scimkit', 600),
  m('filter-parse', 'common corpus (3 filters)', 'scim2-parse-filter', 100),
  m('filter-parse', 'common corpus (3 filters)', 'scimmy Filter', 10),
  m('filter-eval', 'eq', 'scimkit', 40),
  m('filter-eval', 'eq', 'hand-written JS', 100),
  m('patch', 'sync', 'scimkit', 100),
  m('patch', 'sync', 'scim-patch', 50),
  m('patch', 'sync', 'scim-patch (mutateDocument: false)', 25),
  m('patch', 'sync', 'scimmy PatchOp', 0, true),
  m('server', 'GET', 'bare node:http (ceiling)', 1000),
  m('server', 'GET', 'scimkit', 600),
  m('server', 'GET', 'scimmy-routers (express)', 100),
];

describe('checkTargets', () => {
  it('computes each target of issue 10 as a ratio to the right library', () => {
    const targets = checkTargets(measurements);
    expect(targets.map((t) => [t.suite, t.value, t.met])).toEqual([
      ['filter-parse', 6, true],
      ['filter-eval', 2.5, false],
      ['patch', 4, false],
      ['patch', 2, undefined],
      ['server', 0.6, true],
      ['server', 6, true],
    ]);
  });
});

describe('markdown', () => {
  it('names the machine and the Node version, marks missed targets and failed libraries', () => {
    const results: Results = {
      machine: machineInfo(),
      mode: 'full',
      measurements,
      targets: checkTargets(measurements),
    };
    const page = markdown(results, '## Findings\n\nHand-written.');
    expect(page).toContain(`| Node | ${process.version} |`);
    expect(page).toContain('**missed**');
    expect(page).toContain('| sync | scimmy PatchOp | — | — | op | error: boom |');
    expect(page.trim().endsWith('Hand-written.')).toBe(true);
    // scimkit's row comes first, the ceiling last.
    const server = page.slice(page.indexOf('## server'));
    expect(server.indexOf('| scimkit |')).toBeLessThan(server.indexOf('scimmy-routers'));
    expect(server.indexOf('scimmy-routers')).toBeLessThan(server.indexOf('(ceiling)'));
    expect(textTables(results)).toContain(
      'MISSED patch / sync: ≥5× scim-patch (same contract: input untouched): 4',
    );
    expect(textTables(results)).toContain('ref    patch / sync: scim-patch editing in place (reference): 2');
    expect(page).toContain('| scim-patch editing in place (reference) | 2× | reference |');
  });
});

describe('beforeAfter', () => {
  it('compares scimkit to the fastest other library of each case, before and after', () => {
    const machine = machineInfo();
    const before: Results = { machine, mode: 'full', measurements, targets: [] };
    const after: Results = {
      machine,
      mode: 'full',
      measurements: measurements.map((x) =>
        x.library === 'scimkit' && x.suite === 'patch' ? { ...x, opsPerSec: 400 } : x,
      ),
      targets: [],
    };
    const rows = beforeAfter(before, after);
    expect(rows).toContain('| patch | sync | scim-patch | 2.00× | 8.00× |');
    expect(rows).toContain(
      '| filter-parse | common corpus (3 filters) | scim2-parse-filter | 6.00× | 6.00× |',
    );
  });
});
