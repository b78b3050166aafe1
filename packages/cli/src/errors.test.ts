import { parseFilter } from '@scimkit/filter';
import { ScimError } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { CliError, describeError, ExitCode, exitCodeOf, usageError } from './errors.js';

describe('describeError', () => {
  it('gives status, reason, scimType and detail of HTTP errors in one line', () => {
    expect(describeError(new ScimError('User "x" not found', { status: 404 }))).toBe(
      '404 Not Found: User "x" not found',
    );
    expect(
      describeError(new ScimError('userName "bjensen"\nis taken', { status: 409, scimType: 'uniqueness' })),
    ).toBe('409 Conflict (uniqueness): userName "bjensen" is taken');
  });

  it('surfaces the root cause of a network failure', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9');
    const error = new Error('GET http://127.0.0.1:9/scim/v2/Users failed: fetch failed', {
      cause: new TypeError('fetch failed', { cause }),
    });
    expect(describeError(error)).toBe(
      'GET http://127.0.0.1:9/scim/v2/Users failed: connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('describes anything thrown', () => {
    expect(describeError('boom')).toBe('boom');
  });
});

describe('exitCodeOf', () => {
  it('maps 404 to 3, usage errors to 2 and everything else to 1', () => {
    expect(exitCodeOf(new ScimError('gone', { status: 404 }))).toBe(ExitCode.notFound);
    expect(exitCodeOf(new ScimError('bad', { status: 400 }))).toBe(ExitCode.error);
    expect(exitCodeOf(usageError('no --url'))).toBe(ExitCode.usage);
    expect(exitCodeOf(new CliError('partial', ExitCode.partial))).toBe(4);
    expect(exitCodeOf(new Error('io'))).toBe(ExitCode.error);
  });

  it('maps an invalid filter to 2, whether the parser or the server found it', () => {
    const local = captured(() => parseFilter('userName eq'));
    expect(exitCodeOf(local)).toBe(ExitCode.usage);
    expect(exitCodeOf(new ScimError('bad filter', { status: 400, scimType: 'invalidFilter' }))).toBe(
      ExitCode.usage,
    );
    expect(exitCodeOf(new ScimError('bad value', { status: 400, scimType: 'invalidValue' }))).toBe(
      ExitCode.error,
    );
  });
});

describe('describeError on a filter syntax error', () => {
  it('says invalid filter, with no HTTP status: nothing was sent', () => {
    expect(describeError(captured(() => parseFilter('userName eq')))).toBe(
      'invalid filter: Expected a value (a string in double quotes, a number, true, false or null), found end of input at position 11.',
    );
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('describeError on hostile details', () => {
  it('keeps a server detail on one line without terminal escapes', () => {
    expect(describeError(new ScimError('bad\u001b[31m\nthing', { status: 400 }))).toBe(
      '400 Bad Request: bad\ufffd[31m thing',
    );
  });
});
