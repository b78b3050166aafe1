/**
 * A hand-written lexer over character codes. The parser pulls one token at a time from a
 * {@link Lexer} (no token array, no regular expressions); {@link tokenize} collects them for
 * tools such as syntax highlighters.
 */
import { describeText, type FilterErrorType, FilterSyntaxError } from './errors.js';

/** The kinds of tokens of the filter language. */
export type TokenKind =
  | 'EOF'
  | 'Word'
  | 'String'
  | 'Number'
  | 'LeftParen'
  | 'RightParen'
  | 'LeftBracket'
  | 'RightBracket'
  | 'Dot'
  | 'Comma'
  | 'Unknown';

/**
 * The number of each token kind: the lexer stores and the parser compares numbers (a
 * small-integer test is the fastest), {@link tokenize} reports the names. `satisfies` makes the
 * compiler check that every kind has a number and nothing else does.
 */
const Kind = {
  EOF: 0,
  Word: 1,
  String: 2,
  Number: 3,
  LeftParen: 4,
  RightParen: 5,
  LeftBracket: 6,
  RightBracket: 7,
  Dot: 8,
  Comma: 9,
  Unknown: 10,
} as const satisfies Record<TokenKind, number>;

/** The number of a token kind, as {@link Lexer.kind} holds it. */
export type KindCode = (typeof Kind)[TokenKind];

// The same numbers as constants of their own, for the hot paths of the lexer and the parser: a
// constant reads faster than a property of `Kind`.
export const EOF = Kind.EOF;
export const WORD = Kind.Word;
export const STRING = Kind.String;
export const NUMBER = Kind.Number;
export const LPAREN = Kind.LeftParen;
export const RPAREN = Kind.RightParen;
export const LBRACKET = Kind.LeftBracket;
export const RBRACKET = Kind.RightBracket;
export const DOT = Kind.Dot;
export const COMMA = Kind.Comma;
const UNKNOWN = Kind.Unknown;

/** One token: its kind, its 0-based `start` (inclusive) and `end` (exclusive), and the decoded value of strings and numbers. */
export interface Token {
  /** What kind of token this is. */
  kind: TokenKind;
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset after the last character. */
  end: number;
  /** The decoded value of a `String` or `Number` token. */
  value?: string | number;
}

/** Kind names by number. */
const KIND_NAMES: TokenKind[] = [];
for (const name of Object.keys(Kind) as TokenKind[]) KIND_NAMES[Kind[name]] = name;

/** Flag of characters that start a word (and an attribute name): letters and `$` (for `$ref`). */
const WORD_START = 1;
/** Flag of characters that continue a word: name characters, `:` and `.`. */
const WORD_PART = 2;
/** Flag of characters that continue an attribute name: letters, digits, `-`, `_` and `$`. */
const NAME_PART = 4;
/** Flag of whitespace: space, tab, line feed and carriage return. */
const SPACE = 8;

/** {@link WORD_START} / {@link WORD_PART} / {@link NAME_PART} / {@link SPACE} flags per UTF-16 code unit (0 beyond ASCII), so lookups need no range check. */
const CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let code = 0; code < 128; code++) {
    const letter = (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
    const digit = code >= 0x30 && code <= 0x39;
    let flags = 0;
    if (letter || code === 0x24) flags |= WORD_START;
    if (letter || digit || code === 0x2d || code === 0x5f || code === 0x24) flags |= WORD_PART | NAME_PART;
    if (code === 0x3a || code === 0x2e) flags |= WORD_PART;
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) flags |= SPACE;
    table[code] = flags;
  }
  return table;
})();

/** Whether `code` may continue a word: letters, digits, `-`, `_`, `$`, `:` and `.`. */
export function isWordPart(code: number): boolean {
  return (CHAR_CLASS[code]! & WORD_PART) !== 0;
}

/** Whether `code` is whitespace between tokens. */
export function isSpace(code: number): boolean {
  return (CHAR_CLASS[code]! & SPACE) !== 0;
}

/** Whether `code` may start an attribute name (`ATTRNAME`). */
export function isAttrNameStart(code: number): boolean {
  return (CHAR_CLASS[code]! & WORD_START) !== 0;
}

/** Whether `code` may continue an attribute name (`nameChar`). */
export function isAttrNamePart(code: number): boolean {
  return (CHAR_CLASS[code]! & NAME_PART) !== 0;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The character each single-letter JSON escape stands for, by the letter's code (0: not an escape). */
const ESCAPES: Uint16Array = (() => {
  const table = new Uint16Array(128);
  table[0x22] = 0x22; // \"
  table[0x5c] = 0x5c; // \\
  table[0x2f] = 0x2f; // \/
  table[0x62] = 0x08; // \b
  table[0x66] = 0x0c; // \f
  table[0x6e] = 0x0a; // \n
  table[0x72] = 0x0d; // \r
  table[0x74] = 0x09; // \t
  return table;
})();

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * A pull lexer. `next()` moves to the following token and exposes it in `kind`, `start`,
 * `end` and `value`. Whitespace is skipped; in strict mode a run of more than one space, or
 * a tab or line break, is an error.
 */
export class Lexer {
  // Fields are declared and set in the constructor (no class-field defines) for speed.
  declare readonly input: string;
  declare readonly lenient: boolean;
  declare readonly scimType: FilterErrorType;
  /** Kind of the current token. */
  declare kind: KindCode;
  /** Start of the current token. */
  declare start: number;
  /** End of the current token (where the lexer continues). */
  declare end: number;
  /** Decoded value of a string or number token. */
  declare value: string | number;
  /** In a word: offset of its first `:`, or -1. */
  declare firstColon: number;
  /** In a word: offset of its last `:`, or -1. */
  declare lastColon: number;
  /** In a word: offset of the first `.` after the last `:`, or -1. */
  declare firstDot: number;
  /** In a word: number of `.` after the last `:`. */
  declare dots: number;

  constructor(input: string, lenient: boolean, scimType: FilterErrorType) {
    this.input = input;
    this.lenient = lenient;
    this.scimType = scimType;
    this.kind = EOF;
    this.start = 0;
    this.end = 0;
    this.value = '';
    this.firstColon = -1;
    this.lastColon = -1;
    this.firstDot = -1;
    this.dots = 0;
  }

  /** Continues lexing at `position` (used by the lenient unquoted-value scan). */
  reset(position: number): void {
    this.end = position;
  }

  /** Offset of the next non-whitespace character at or after `position`. */
  skipSpace(position: number): number {
    const input = this.input;
    while (position < input.length && isSpace(input.charCodeAt(position))) position++;
    return position;
  }

  /** Skips a whitespace run at `spaceStart` (an error in strict mode unless it is one space). */
  private spaces(spaceStart: number): number {
    const input = this.input;
    let position = spaceStart;
    while (position < input.length && isSpace(input.charCodeAt(position))) position++;
    if (!this.lenient) {
      const code = input.charCodeAt(spaceStart);
      if (code !== 0x20) {
        const what = code === 0x09 ? 'tab' : 'line break';
        throw new FilterSyntaxError({
          input,
          position: spaceStart,
          found: what,
          scimType: this.scimType,
          reason: 'only single spaces separate tokens',
        });
      }
      if (position - spaceStart > 1) {
        throw new FilterSyntaxError({
          input,
          position: spaceStart + 1,
          found: 'run of spaces',
          scimType: this.scimType,
          reason: 'only single spaces separate tokens',
        });
      }
    }
    return position;
  }

  /** Moves to the next token. */
  next(): void {
    // Module-level bindings are reloaded and re-checked on every use (bundlers turn top-level
    // consts into vars): the table and flags go into locals once per token, not once per character.
    const classes = CHAR_CLASS;
    const space = SPACE;
    const namePart = NAME_PART;
    const wordStart = WORD_START;
    const wordPart = WORD_PART;
    const input = this.input;
    const length = input.length;
    let position = this.end;
    const spaceStart = position;
    // Past the end, code 0 stands in (class 0) so table lookups never go out of bounds.
    let code = position < length ? input.charCodeAt(position) : 0;
    if (code === 0x20) {
      // The common case: one space between tokens.
      position++;
      code = position < length ? input.charCodeAt(position) : 0;
      if ((classes[code]! & space) !== 0) {
        position = this.spaces(spaceStart);
        code = position < length ? input.charCodeAt(position) : 0;
      }
    } else if ((classes[code]! & space) !== 0) {
      position = this.spaces(spaceStart);
      code = position < length ? input.charCodeAt(position) : 0;
    }
    this.start = position;
    if (position >= length) {
      this.kind = EOF;
      this.end = position;
      return;
    }
    if ((classes[code]! & wordStart) !== 0) {
      let firstColon = -1;
      let lastColon = -1;
      let firstDot = -1;
      let dots = 0;
      position++;
      for (;;) {
        // Tight inner loop over name characters; `:` and `.` are handled outside it.
        let part = 0;
        while (position < length && (classes[(part = input.charCodeAt(position))]! & namePart) !== 0)
          position++;
        if (position >= length || (classes[part]! & wordPart) === 0) break;
        if (part === 0x3a) {
          if (firstColon < 0) firstColon = position;
          lastColon = position;
          firstDot = -1;
          dots = 0;
        } else {
          if (firstDot < 0) firstDot = position;
          dots++;
        }
        position++;
      }
      this.firstColon = firstColon;
      this.lastColon = lastColon;
      this.firstDot = firstDot;
      this.dots = dots;
      this.kind = WORD;
      this.end = position;
      return;
    }
    switch (code) {
      case 0x22: // "
        this.lexString(position);
        return;
      case 0x28:
        this.kind = LPAREN;
        this.end = position + 1;
        return;
      case 0x29:
        this.kind = RPAREN;
        this.end = position + 1;
        return;
      case 0x5b:
        this.kind = LBRACKET;
        this.end = position + 1;
        return;
      case 0x5d:
        this.kind = RBRACKET;
        this.end = position + 1;
        return;
      case 0x2e:
        this.kind = DOT;
        this.end = position + 1;
        return;
      case 0x2c:
        this.kind = COMMA;
        this.end = position + 1;
        return;
    }
    if (code === 0x2d || isDigit(code)) {
      this.lexNumber(position);
      return;
    }
    this.kind = UNKNOWN;
    // Keep surrogate pairs together so messages quote whole characters.
    this.end = code >= 0xd800 && code <= 0xdbff && position + 1 < length ? position + 2 : position + 1;
  }

  private fail(position: number, expected: string | undefined, reason?: string): never {
    const input = this.input;
    let end = position + 1;
    const code = input.charCodeAt(position);
    if (code >= 0xd800 && code <= 0xdbff) end++;
    const found = describeText(input, position, end);
    throw new FilterSyntaxError({ input, position, found, expected, scimType: this.scimType, reason });
  }

  private lexString(open: number): void {
    const input = this.input;
    const length = input.length;
    let position = open + 1;
    // Fast path: no escapes and no control characters before the closing quote.
    while (position < length) {
      const code = input.charCodeAt(position);
      if (code === 0x22) {
        this.kind = STRING;
        this.value = input.slice(open + 1, position);
        this.end = position + 1;
        return;
      }
      if (code < 0x20 || code === 0x5c) break;
      position++;
    }
    // Slow path, two linear passes: validate and find the closing quote, then decode into a
    // buffer (no string concatenation per escape, so long escaped strings stay linear).
    position = open + 1;
    for (;;) {
      if (position >= length) this.fail(position, "a closing '\"'");
      const code = input.charCodeAt(position);
      if (code === 0x22) break;
      if (code < 0x20) this.fail(position, undefined, 'control characters must be escaped in strings');
      if (code !== 0x5c) {
        position++;
        continue;
      }
      const escaped = input.charCodeAt(position + 1);
      if (escaped === 0x75) {
        for (let i = 2; i < 6; i++) {
          if (hexValue(input.charCodeAt(position + i)) < 0) this.fail(position + i, 'a hexadecimal digit');
        }
        position += 6;
      } else if (ESCAPES[escaped] !== undefined && ESCAPES[escaped] !== 0) {
        position += 2;
      } else {
        this.fail(position + 1, 'an escape character (", \\, /, b, f, n, r, t or u)');
      }
    }
    const end = position;
    if (end - open < 512) {
      // Short strings: concatenate the runs between escapes.
      let value = '';
      let chunkStart = open + 1;
      for (position = open + 1; position < end; ) {
        if (input.charCodeAt(position) !== 0x5c) {
          position++;
          continue;
        }
        value += input.slice(chunkStart, position);
        const escaped = input.charCodeAt(position + 1);
        if (escaped === 0x75) {
          let unit = 0;
          for (let i = 2; i < 6; i++) unit = unit * 16 + hexValue(input.charCodeAt(position + i));
          value += String.fromCharCode(unit);
          position += 6;
        } else {
          value += String.fromCharCode(ESCAPES[escaped]!);
          position += 2;
        }
        chunkStart = position;
      }
      this.kind = STRING;
      this.value = value + input.slice(chunkStart, end);
      this.end = end + 1;
      return;
    }
    const buffer = new Uint16Array(end - open - 1);
    let size = 0;
    for (position = open + 1; position < end; ) {
      const code = input.charCodeAt(position);
      if (code !== 0x5c) {
        buffer[size++] = code;
        position++;
        continue;
      }
      const escaped = input.charCodeAt(position + 1);
      if (escaped === 0x75) {
        let unit = 0;
        for (let i = 2; i < 6; i++) unit = unit * 16 + hexValue(input.charCodeAt(position + i));
        buffer[size++] = unit;
        position += 6;
      } else {
        buffer[size++] = ESCAPES[escaped]!;
        position += 2;
      }
    }
    let value = '';
    for (let from = 0; from < size; from += 8192) {
      value += String.fromCharCode.apply(
        null,
        buffer.subarray(from, Math.min(size, from + 8192)) as unknown as number[],
      );
    }
    this.kind = STRING;
    this.value = value;
    this.end = end + 1;
  }

  private lexNumber(begin: number): void {
    const input = this.input;
    let position = begin;
    if (input.charCodeAt(position) === 0x2d) position++;
    const first = input.charCodeAt(position);
    if (!isDigit(first)) this.fail(position, 'a digit');
    position++;
    if (first === 0x30) {
      if (isDigit(input.charCodeAt(position))) this.fail(position, undefined, 'numbers do not start with 0');
    } else {
      while (isDigit(input.charCodeAt(position))) position++;
    }
    if (input.charCodeAt(position) === 0x2e) {
      position++;
      if (!isDigit(input.charCodeAt(position))) this.fail(position, 'a digit');
      while (isDigit(input.charCodeAt(position))) position++;
    }
    const e = input.charCodeAt(position);
    if (e === 0x65 || e === 0x45) {
      position++;
      const sign = input.charCodeAt(position);
      if (sign === 0x2b || sign === 0x2d) position++;
      if (!isDigit(input.charCodeAt(position))) this.fail(position, 'a digit');
      while (isDigit(input.charCodeAt(position))) position++;
    }
    const value = Number(input.slice(begin, position));
    // JSON numbers beyond ±1.8e308 become ±Infinity, which no attribute holds and no database stores.
    if (!Number.isFinite(value))
      this.fail(begin, undefined, 'the number is out of range (at most about 1.8e308)');
    this.kind = NUMBER;
    this.value = value;
    this.end = position;
  }
}

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** Accept runs of whitespace, tabs and line breaks between tokens. @defaultValue false */
  lenient?: boolean;
}

/**
 * Splits `text` into tokens with their positions, for tools such as syntax highlighters.
 * Malformed strings and numbers throw a {@link FilterSyntaxError}; other stray characters
 * come back as `Unknown` tokens. The list ends with an `EOF` token.
 *
 * @example
 * ```ts
 * import { tokenize } from '@scimkit/filter';
 *
 * tokenize('userName eq "bjensen"').map((token) => token.kind); // ['Word', 'Word', 'String', 'EOF']
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const lexer = new Lexer(text, options.lenient ?? false, 'invalidFilter');
  const tokens: Token[] = [];
  do {
    lexer.next();
    const token: Token = { kind: KIND_NAMES[lexer.kind]!, start: lexer.start, end: lexer.end };
    if (lexer.kind === STRING || lexer.kind === NUMBER) token.value = lexer.value;
    tokens.push(token);
  } while (lexer.kind !== EOF);
  return tokens;
}
