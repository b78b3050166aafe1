import { describe, expect, it } from 'vitest';
import { createMemoryStore, createScimServer } from './index.js';

/** `createScimServer` with these tokens: the TypeError it throws at start-up, if any. */
function startupError(tokens: unknown[]): unknown {
  try {
    createScimServer({ store: createMemoryStore(), auth: { tokens: tokens as string[] } });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('createScimServer auth.tokens', () => {
  it('says that the environment variable is not set when a token is undefined (process.env.SCIM_TOKEN!)', () => {
    const error = startupError(['ok-token', undefined]);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      'auth.tokens[1] is undefined: the environment variable it is read from (such as process.env.SCIM_TOKEN) is not set.',
    );
  });

  it('says that the value is empty, not that it contains whitespace, for an empty string', () => {
    expect((startupError(['']) as Error).message).toBe(
      'auth.tokens[0] is an empty string (an environment variable set to nothing?); a bearer token cannot be empty (RFC 6750 section 2.1).',
    );
  });

  it('points at a trailing newline for a token with whitespace, never showing the token', () => {
    const message = (startupError(['s3cret-token\n']) as Error).message;
    expect(message).toBe(
      'auth.tokens[0] contains whitespace (a trailing newline from a secrets file?); a bearer token cannot (RFC 6750 section 2.1).',
    );
    expect(message).not.toContain('s3cret');
  });

  it('names the type of a token that is not a string', () => {
    expect((startupError([42]) as Error).message).toBe('auth.tokens[0] is a number, not a string.');
    expect((startupError([null]) as Error).message).toBe('auth.tokens[0] is null, not a string.');
  });

  it('refuses an empty list', () => {
    expect((startupError([]) as Error).message).toBe(
      'auth.tokens is empty: configure at least one bearer token.',
    );
  });
});
