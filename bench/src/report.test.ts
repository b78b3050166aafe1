import { describe, expect, it } from 'vitest';
import type { Measurement } from './harness.js';
import { machineInfo } from './machine.js';
import { beforeAfter, checkTargets, markdown, type Results, textTables } from './report.js';
import { CALIBRATIONS } from './server/protocol.js';

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
  m('server', 'GET /Users/{id}', 'bare node:http (ceiling)', 1000),
  m('server', 'GET /Users/{id}', 'scimkit', 600),
  m('server', 'GET /Users/{id}', 'scimmy-routers (express)', 100),
];

/** The four server routes, each just under or at its target of issue #20. */
const serverRoutes = [
  ...[
    'GET /Users/{id}',
    'GET /Users?filter=userName eq …',
    'POST /Users (full Enterprise user)',
    'PATCH /Users/{id} (Entra attribute sync)',
  ].flatMap((name) => [
    m('server', name, 'bare node:http (ceiling)', 1000),
    m('server', name, 'scimmy-routers (express)', 50),
  ]),
  m('server', 'GET /Users/{id}', 'scimkit', 590),
  m('server', 'GET /Users?filter=userName eq …', 'scimkit', 500),
  m('server', 'POST /Users (full Enterprise user)', 'scimkit', 400),
  m('server', 'PATCH /Users/{id} (Entra attribute sync)', 'scimkit', 490),
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
      ['server', 6, false],
    ]);
  });

  it('checks one PATCH operation on a User against 1 µs, not a request of several or a group (issue #20)', () => {
    const one = (caseName: string, opsPerSec: number, unit = 'apply 1 op(s)'): Measurement => ({
      ...m('patch', caseName, 'scimkit', opsPerSec),
      unit,
    });
    const targets = checkTargets([
      one('add an absent attribute', 1_250_000),
      one('profile replace', 800_000),
      one('six replaces', 500_000, 'apply 6 op(s)'),
      one('group push: add a member', 200_000),
    ]);
    expect(targets.map((t) => [t.case, t.target, t.value, t.unit, t.met])).toEqual([
      ['add an absent attribute', '≤1 µs per operation', 0.8, ' µs', true],
      ['profile replace', '≤1 µs per operation', 1.25, ' µs', false],
    ]);
    const page = markdown({ machine: machineInfo(), mode: 'full', measurements: [], targets }, '');
    expect(page).toContain('| ≤1 µs per operation | 1.25 µs | **missed** |');
  });

  it('checks each server route against its share of the ceiling and 10× scimmy-routers (issue #20)', () => {
    const targets = checkTargets(serverRoutes).map((t) => [t.case, t.target, t.value, t.met]);
    expect(targets).toEqual([
      ['GET /Users/{id}', '≥60% of the bare node:http ceiling', 0.59, false],
      ['GET /Users/{id}', '≥10× scimmy-routers', 11.8, true],
      ['GET /Users?filter=userName eq …', '≥50% of the bare node:http ceiling', 0.5, true],
      ['GET /Users?filter=userName eq …', '≥10× scimmy-routers', 10, true],
      ['POST /Users (full Enterprise user)', '≥40% of the bare node:http ceiling', 0.4, true],
      ['POST /Users (full Enterprise user)', '≥10× scimmy-routers', 8, false],
      ['PATCH /Users/{id} (Entra attribute sync)', '≥50% of the bare node:http ceiling', 0.49, false],
      ['PATCH /Users/{id} (Entra attribute sync)', '≥10× scimmy-routers', 9.8, false],
    ]);
  });

  it("reports the calibration server's share of the ceiling for reference, never as a target", () => {
    const targets = checkTargets([
      m('server', 'GET /Users/{id}', 'bare node:http (ceiling)', 1000),
      m('server', 'GET /Users/{id}', CALIBRATIONS[0]!.library, 480),
      m('server', 'GET /Users/{id}', CALIBRATIONS[1]!.library, 230),
      m('server', 'GET /Users/{id}', 'scimkit', 590),
    ]);
    expect(targets.map((t) => [t.target, t.value, t.met])).toEqual([
      ['≥60% of the bare node:http ceiling', 0.59, false],
      ['share of the ceiling left by 10 µs of work per request (calibration)', 0.48, undefined],
      ['share of the ceiling left by 30 µs of work per request (calibration)', 0.23, undefined],
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
