import { describe, expect, it } from 'vitest';
import { errorOf } from './__fixtures__/error-of.js';
import { tokenize } from './lexer.js';

describe('tokenize', () => {
  it('gives every token its kind, positions and decoded value', () => {
    expect(tokenize('emails[type eq "w\\u00f6rk"].value ne -1.5e2, (x)')).toEqual([
      { kind: 'Word', start: 0, end: 6 },
      { kind: 'LeftBracket', start: 6, end: 7 },
      { kind: 'Word', start: 7, end: 11 },
      { kind: 'Word', start: 12, end: 14 },
      { kind: 'String', start: 15, end: 26, value: 'wörk' },
      { kind: 'RightBracket', start: 26, end: 27 },
      { kind: 'Dot', start: 27, end: 28 },
      { kind: 'Word', start: 28, end: 33 },
      { kind: 'Word', start: 34, end: 36 },
      { kind: 'Number', start: 37, end: 43, value: -150 },
      { kind: 'Comma', start: 43, end: 44 },
      { kind: 'LeftParen', start: 45, end: 46 },
      { kind: 'Word', start: 46, end: 47 },
      { kind: 'RightParen', start: 47, end: 48 },
      { kind: 'EOF', start: 48, end: 48 },
    ]);
  });

  it('keeps URNs, dots and $ in one word', () => {
    expect(tokenize('urn:acme:scim:ext:2.0:Device:serial members.$ref')).toEqual([
      { kind: 'Word', start: 0, end: 35 },
      { kind: 'Word', start: 36, end: 48 },
      { kind: 'EOF', start: 48, end: 48 },
    ]);
  });

  it('returns stray characters as Unknown tokens, surrogate pairs whole', () => {
    expect(tokenize('@ 😀').map((token) => [token.kind, token.end - token.start])).toEqual([
      ['Unknown', 1],
      ['Unknown', 2],
      ['EOF', 0],
    ]);
  });

  it('decodes long strings with many escapes', () => {
    const [token] = tokenize(`"${'a\\"'.repeat(20_000)}"`);
    expect(token?.value).toBe('a"'.repeat(20_000));
  });

  it('accepts whitespace runs only when lenient', () => {
    expect(tokenize(' \t a\n', { lenient: true }).map((token) => token.kind)).toEqual(['Word', 'EOF']);
    expect(errorOf(() => tokenize('a  b')).message).toBe(
      'Unexpected run of spaces at position 2: only single spaces separate tokens.',
    );
  });
});
