import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatFailure, toJUnit } from './format.js';
import { type CheckReport, type CheckResult, FEATURES } from './types.js';

const failed: CheckResult = {
  id: 'filter.invalid',
  group: 'filter',
  title: 'a malformed filter answers 400 invalidFilter',
  level: 'required',
  rfc: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.12',
  idps: ['entra-id'],
  status: 'failed',
  durationMs: 12,
  failure: {
    message: 'GET /Users?filter=userName eq answered 500, expected 400',
    expected: 'HTTP 400 <with> an "Error" & scimType',
    why: 'A filter that does not follow the grammar is a client error.',
    exchange: {
      request: { method: 'GET', url: 'http://127.0.0.1:1/scim/v2/Users?filter=userName%20eq', headers: {} },
      response: {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: 'Internal \u0001 Server Error',
      },
    },
  },
};

const report: CheckReport = {
  baseUrl: 'http://127.0.0.1:1/scim/v2',
  startedAt: '2026-11-28T10:00:00.000Z',
  durationMs: 1500,
  readOnly: false,
  prefix: 'scimkit-check-0011aabb',
  ok: false,
  summary: { total: 3, passed: 1, failed: 1, skipped: 1, requiredFailed: 1, advisoryFailed: 0 },
  features: {
    ...Object.fromEntries(FEATURES.map((feature) => [feature, true])),
    bulk: false,
  } as CheckReport['features'],
  notAdvertised: ['bulk'],
  results: [
    { ...failed, id: 'filter.eq', title: 'eq', status: 'passed', idps: [] } as CheckResult,
    failed,
    {
      id: 'bulk.bulk-id',
      group: 'bulk',
      title: 'bulk',
      level: 'required',
      rfc: 'x',
      idps: [],
      status: 'skipped',
      durationMs: 0,
      skipReason: 'not advertised: bulk',
    },
  ],
  cleanup: { deleted: 0, deactivated: 0, leftovers: [] },
};

describe('formatFailure', () => {
  it('lists problem, expected, why, the RFC section and the exchange', () => {
    expect(formatFailure(failed)).toBe(
      [
        'filter.invalid: a malformed filter answers 400 invalidFilter [required · Entra ID]',
        '  problem:  GET /Users?filter=userName eq answered 500, expected 400',
        '  expected: HTTP 400 <with> an "Error" & scimType',
        '  why:      A filter that does not follow the grammar is a client error.',
        '  see:      https://www.rfc-editor.org/rfc/rfc7644#section-3.12',
        '  request:  GET http://127.0.0.1:1/scim/v2/Users?filter=userName%20eq',
        '  response: 500  content-type: text/plain',
        '  body:     Internal \u0001 Server Error',
      ].join('\n'),
    );
  });
});

describe('toJUnit', () => {
  it('writes XML a JUnit reader parses, with one suite per group', () => {
    const xml = toJUnit(report);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(parsed.testsuites).toMatchObject({ tests: '3', failures: '1', skipped: '1' });
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((suite: { name: string }) => suite.name)).toEqual(['filter', 'bulk']);
    const [passed, failure] = suites[0].testcase;
    expect(passed).toMatchObject({ classname: 'scimkit.check.filter', name: 'filter.eq: eq' });
    expect(failure.failure.type).toBe('required');
    expect(failure.failure.message).toBe(
      '[required] GET /Users?filter=userName eq answered 500, expected 400',
    );
    expect(failure.failure['#text']).toContain('expected: HTTP 400 <with> an "Error" & scimType');
    expect(failure.failure['#text']).toContain('Internal \ufffd Server Error');
    expect(suites[1].testcase.skipped.message).toBe('not advertised: bulk');
  });
});
