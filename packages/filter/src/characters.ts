/**
 * Character classes and keyword spellings of the filter language: the lexer splits words with
 * them, the parser checks attribute names and recognises keywords and operators inside words.
 */
import type { ComparisonOperator } from './ast.js';

/** Flag of characters that start a word (and an attribute name): letters and `$` (for `$ref`). */
export const WORD_START = 1;
/** Flag of characters that continue a word: name characters, `:` and `.`. */
export const WORD_PART = 2;
/** Flag of characters that continue an attribute name: letters, digits, `-`, `_` and `$`. */
export const NAME_PART = 4;
/** Flag of whitespace: space, tab, line feed and carriage return. */
export const SPACE = 8;

/** {@link WORD_START} / {@link WORD_PART} / {@link NAME_PART} / {@link SPACE} flags per UTF-16 code unit (0 beyond ASCII), so lookups need no range check. */
export const CHAR_CLASS: Uint8Array = (() => {
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

/** Whether `input[start..end)` equals the lower-case keyword `keyword`, ignoring ASCII case. */
export function wordIs(input: string, start: number, end: number, keyword: string): boolean {
  if (end - start !== keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if ((input.charCodeAt(start + i) | 0x20) !== keyword.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `input[start..end)` is exactly `keyword` (lower case). */
export function wordIsExact(input: string, start: number, end: number, keyword: string): boolean {
  return end - start === keyword.length && input.startsWith(keyword, start);
}

/** The comparison operator or `pr` spelled at `input[start..end)`, or undefined. */
export function operatorAt(input: string, start: number, end: number): ComparisonOperator | 'pr' | undefined {
  if (end - start !== 2) return undefined;
  const a = input.charCodeAt(start) | 0x20;
  const b = input.charCodeAt(start + 1) | 0x20;
  switch (a) {
    case 0x65: // e
      return b === 0x71 ? 'eq' : b === 0x77 ? 'ew' : undefined;
    case 0x6e: // n
      return b === 0x65 ? 'ne' : undefined;
    case 0x63: // c
      return b === 0x6f ? 'co' : undefined;
    case 0x73: // s
      return b === 0x77 ? 'sw' : undefined;
    case 0x67: // g
      return b === 0x74 ? 'gt' : b === 0x65 ? 'ge' : undefined;
    case 0x6c: // l
      return b === 0x74 ? 'lt' : b === 0x65 ? 'le' : undefined;
    case 0x70: // p
      return b === 0x72 ? 'pr' : undefined;
  }
  return undefined;
}
