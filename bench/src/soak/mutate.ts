/**
 * Mutation fuzzing: hostile variants of valid inputs (filters, paths, resources, PATCH bodies),
 * from a seeded PRNG so that a run can be repeated exactly.
 */
import type { Random } from '../corpus/prng.js';

/** Text that has broken SCIM parsers and servers before, spliced into valid input. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  '\u0000',
  '\ud800',
  '\udc00',
  '😀',
  '"',
  '\\',
  '\\u0000',
  '\\ud800',
  '(',
  ')',
  '[',
  ']',
  '.',
  ':',
  ',',
  ' and ',
  ' or ',
  'not ',
  'not(',
  ' eq ',
  ' co ',
  ' gt ',
  ' pr',
  ' PR ',
  'True',
  'null',
  '1e400',
  '-0',
  '9007199254740993',
  '$ref',
  'urn:ietf:params:scim:schemas:core:2.0:User:',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
  'emails[type eq "work"]',
  'members[value eq "x"]',
  'password',
  'bulkId:',
  '%',
  '%FF',
  '\r\n',
  '\t',
  'x'.repeat(300),
  '('.repeat(64),
  'not ('.repeat(40),
  `${'a.'.repeat(100)}b`,
];

/** A random UTF-16 code unit: ASCII most of the time, anything else (surrogates included) otherwise. */
function randomChar(random: Random): string {
  if (random.bool(0.7)) return String.fromCharCode(32 + random.int(95));
  if (random.bool(0.5)) return String.fromCharCode(random.int(32));
  return String.fromCharCode(random.int(0x10000));
}

/** One to four edits of `text`: fragment insertions, deletions, character swaps, duplication, truncation. */
export function mutateText(random: Random, text: string): string {
  let out = text;
  const edits = 1 + random.int(4);
  for (let i = 0; i < edits; i++) {
    const at = random.int(out.length + 1);
    switch (random.int(6)) {
      case 0:
        out = out.slice(0, at) + random.pick(HOSTILE_FRAGMENTS) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + random.int(8));
        break;
      case 2:
        out = out.slice(0, at) + randomChar(random) + out.slice(at + 1);
        break;
      case 3:
        out =
          out.slice(0, at) + out.slice(at, at + 1 + random.int(20)).repeat(1 + random.int(4)) + out.slice(at);
        break;
      case 4:
        out = out.slice(0, at);
        break;
      default:
        out = out.slice(0, at) + randomChar(random) + out.slice(at);
    }
  }
  return out;
}

/** An own enumerable property, even `__proto__` (as JSON.parse creates it), never a prototype change. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'schemas',
  'id',
  'meta',
  'password',
];

/** A random JSON value of small depth, with hostile keys and edge-case numbers and strings. */
export function randomJson(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 5 : 7)) {
    case 0:
      return mutateText(random, random.pick(['x', 'user@example.com', 'True', '2011-08-01T18:29:49Z']));
    case 1:
      return random.pick([0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 31]);
    case 2:
      return random.bool();
    case 3:
      return null;
    case 4:
      return random.pick(['', 'False', 'bulkId:b1', 'W/"1"', '\u0000', '\ud800']);
    case 5:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = random.int(4);
      for (let i = 0; i < keys; i++) {
        const key = random.bool(0.4) ? random.pick(HOSTILE_KEYS) : mutateText(random, 'value');
        setOwn(object, key, random.bool(0.3) ? { polluted: true } : randomJson(random, depth + 1));
      }
      return object;
    }
  }
}

/**
 * A mutated deep copy of a JSON value: some values replaced, some keys renamed or added
 * (hostile ones included), some strings edited, arrays shortened or grown.
 */
export function mutateJson(random: Random, value: unknown, rate = 0.15, depth = 0): unknown {
  if (random.bool(rate)) return randomJson(random, depth);
  if (typeof value === 'string') return random.bool(rate) ? mutateText(random, value) : value;
  if (Array.isArray(value)) {
    const items = value.map((item) => mutateJson(random, item, rate, depth + 1));
    if (random.bool(rate)) items.push(randomJson(random, depth + 1));
    if (random.bool(rate)) items.splice(random.int(items.length + 1), 1);
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const name = random.bool(rate / 3) ? mutateText(random, key) : key;
      setOwn(out, name, mutateJson(random, item, rate, depth + 1));
    }
    if (random.bool(rate)) setOwn(out, random.pick(HOSTILE_KEYS), randomJson(random, depth + 1));
    return out;
  }
  return value;
}

/** The names on the shared prototypes, to compare before and after a run (prototype pollution). */
export function prototypeSnapshot(): string {
  const names = (object: object) => Reflect.ownKeys(object).map(String).sort().join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((prototype) => names(prototype))
    .join('|');
}

/** Whether anything reads as polluted: an inherited `polluted`, or a changed prototype. */
export function isPolluted(snapshot: string): boolean {
  const probe = {} as Record<string, unknown>;
  return probe.polluted !== undefined || [].constructor !== Array || prototypeSnapshot() !== snapshot;
}
