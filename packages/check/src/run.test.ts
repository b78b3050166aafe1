import { describe, expect, it } from 'vitest';
import { CHECK_GROUPS, CheckRunError, listChecks, runChecks } from './index.js';

describe('the catalogue', () => {
  const checks = listChecks();

  it('gives every check a unique id in its group, an RFC section and a reason', () => {
    expect(new Set(checks.map((check) => check.id)).size).toBe(checks.length);
    for (const check of checks) {
      expect(check.id.startsWith(`${check.group}.`), check.id).toBe(true);
      expect(check.rfc, check.id).toMatch(
        /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc(7643|7644|9865)(#section-[\d.]+)?$/,
      );
      expect(check.why.length, check.id).toBeGreaterThan(20);
    }
  });

  it('covers every group, in order', () => {
    const groups = [...new Set(checks.map((check) => check.group))];
    expect(groups).toEqual([...CHECK_GROUPS]);
  });

  it('selects by id and group, and refuses names it does not know', () => {
    expect(listChecks({ only: ['idp'] }).map((check) => check.id)).toEqual(['idp.entra-id', 'idp.okta']);
    expect(
      listChecks({ only: ['filter.eq', 'bulk'], skip: ['bulk.max-payload'] }).map((check) => check.id),
    ).toEqual([
      'filter.eq',
      'bulk.bulk-id',
      'bulk.continue-on-error',
      'bulk.fail-on-errors',
      'bulk.max-operations',
    ]);
    expect(() => listChecks({ skip: ['filter.eqq'] })).toThrow(
      new CheckRunError('unknown check or group "filter.eqq"'),
    );
  });
});

describe('runChecks', () => {
  it('says when the server cannot be reached', async () => {
    await expect(runChecks({ url: 'http://127.0.0.1:9/scim/v2', token: 't' })).rejects.toThrow(
      /^cannot reach http:\/\/127\.0\.0\.1:9\/scim\/v2: GET http:\/\/127\.0\.0\.1:9\/scim\/v2\/Users\?count=1: fetch failed/,
    );
  });

  it('refuses a URL it cannot use', async () => {
    await expect(runChecks({ url: 'not a url', token: 't' })).rejects.toThrow(CheckRunError);
    await expect(runChecks({ url: 'ftp://example.com/scim', token: 't' })).rejects.toThrow(
      'is not an http(s) URL',
    );
  });
});
