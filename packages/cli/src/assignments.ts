/**
 * `path=value` flags (`--set`, `--add`, `--replace`) and `--remove path`, turned into resource
 * attributes and PATCH operations.
 */
import { readFile } from 'node:fs/promises';
import { usageError } from './errors.js';

/** A `path=value` split at the first `=` outside brackets and quotes. */
export function splitAssignment(text: string): { path: string; value: string } {
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '\\') index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === '=' && depth === 0) {
      const path = text.slice(0, index).trim();
      if (path === '') break;
      return { path, value: text.slice(index + 1) };
    }
  }
  throw usageError(`expected path=value, got "${text}"`);
}

/**
 * A flag value as JSON when it is unambiguously JSON (an object, an array, a quoted string,
 * true, false or null), else the text itself: `00123` stays a string.
 */
export function flagValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^[[{"]/.test(trimmed) || trimmed === 'true' || trimmed === 'false' || trimmed === 'null') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      throw usageError(`value ${JSON.stringify(text)} looks like JSON but does not parse`);
    }
  }
  return text;
}

/** Collects repeated flag values into an array (commander's variadic accumulator). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Reads a JSON object from a file (or stdin with `-`). */
export async function readJsonFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One PATCH operation. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** PATCH operations from `--add`, `--replace` and `--remove` flags, in that order. */
export function patchOperations(options: {
  add?: string[];
  replace?: string[];
  remove?: string[];
}): PatchOperation[] {
  const operations: PatchOperation[] = [];
  for (const [op, items] of [
    ['add', options.add],
    ['replace', options.replace],
  ] as const) {
    for (const item of items ?? []) {
      const { path, value } = splitAssignment(item);
      operations.push({ op, path, value: flagValue(value) });
    }
  }
  for (const path of options.remove ?? []) operations.push({ op: 'remove', path });
  return operations;
}
