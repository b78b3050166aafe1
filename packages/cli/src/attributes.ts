/**
 * Reading and writing SCIM attribute paths on plain resources, for table/CSV columns and for
 * building resources from CSV rows and `--set` flags.
 *
 * Paths: `userName`, `name.givenName`, or URN-qualified
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`). Names are
 * case-insensitive, as RFC 7643 section 2.1 says.
 */
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema';
import { usageError } from './errors.js';

/** A parsed column path: the extension URN (if any), then attribute and sub-attribute names. */
export interface ColumnPath {
  text: string;
  schema?: string;
  names: string[];
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const CORE = new Set([USER_SCHEMA.toLowerCase(), GROUP_SCHEMA.toLowerCase()]);

/** Parses `urn:…:User:manager.value`, `name.givenName` or `userName`. */
export function parseColumnPath(text: string): ColumnPath {
  const trimmed = text.trim();
  let schema: string | undefined;
  let rest = trimmed;
  if (/^urn:/i.test(trimmed)) {
    const colon = trimmed.lastIndexOf(':');
    schema = trimmed.slice(0, colon);
    rest = trimmed.slice(colon + 1);
    if (CORE.has(schema.toLowerCase())) schema = undefined;
  }
  const names = rest.split('.');
  if (names.length > 2 || names.some((name) => !/^\$?[A-Za-z][\w-]*$/.test(name))) {
    throw usageError(`invalid attribute path "${text}"`);
  }
  if (names.some((name) => FORBIDDEN.has(name.toLowerCase()))) {
    throw usageError(`invalid attribute path "${text}"`);
  }
  return { text: trimmed, ...(schema ? { schema } : {}), names };
}

function ownKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw value at `path`, or undefined. Multi-valued attributes come back as arrays. */
export function getPath(resource: Record<string, unknown>, path: ColumnPath): unknown {
  let current: unknown = resource;
  if (path.schema) {
    const key = ownKey(resource, path.schema);
    current = key === undefined ? undefined : resource[key];
  }
  for (const name of path.names) {
    if (Array.isArray(current)) {
      current = current.map((item) => (isRecord(item) ? item[ownKey(item, name) ?? ''] : undefined));
      continue;
    }
    if (!isRecord(current)) return undefined;
    const key = ownKey(current, name);
    current = key === undefined ? undefined : current[key];
  }
  return current;
}

/**
 * A value as one cell of text: multi-valued complex attributes give their `value`s, the
 * primary one first, joined with `;`; objects become JSON.
 */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const sorted = [...value].sort(
      (a, b) => Number(isRecord(b) && b['primary'] === true) - Number(isRecord(a) && a['primary'] === true),
    );
    return sorted
      .map((item) => (isRecord(item) && 'value' in item ? cellText(item['value']) : cellText(item)))
      .filter((text) => text !== '')
      .join(';');
  }
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

/** Multi-valued complex attributes of User and Group (RFC 7643 sections 4.1.2 and 4.2). */
const MULTI_VALUED = new Set([
  'emails',
  'phonenumbers',
  'ims',
  'photos',
  'entitlements',
  'roles',
  'x509certificates',
  'members',
]);
const BOOLEAN = new Set(['active', 'primary']);

function coerce(name: string, text: string): unknown {
  if (BOOLEAN.has(name.toLowerCase())) {
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
  }
  return text;
}

/**
 * Sets `path` on `target` from a cell's text: `emails` and other multi-valued complex
 * attributes take `;`-separated values (the first is primary), `active` takes true/false.
 * Extension URNs used are added to `schemas`.
 */
export function setPath(target: Record<string, unknown>, path: ColumnPath, text: string): void {
  let container = target;
  if (path.schema) {
    const key = ownKey(target, path.schema) ?? path.schema;
    const existing = target[key];
    container = isRecord(existing) ? existing : {};
    target[key] = container;
    const schemas = Array.isArray(target['schemas']) ? (target['schemas'] as unknown[]) : [];
    if (!schemas.includes(path.schema)) target['schemas'] = [...schemas, path.schema];
  }
  const [first, second] = path.names as [string, string | undefined];
  if (MULTI_VALUED.has(first.toLowerCase()) && (second === undefined || second === 'value')) {
    const values = text
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    container[first] = values.map((value, index) =>
      first.toLowerCase() === 'members' ? { value } : { value, ...(index === 0 ? { primary: true } : {}) },
    );
    return;
  }
  if (second === undefined) {
    container[first] = coerce(first, text);
    return;
  }
  const existing = container[first];
  const child = isRecord(existing) ? existing : {};
  child[second] = coerce(second, text);
  container[first] = child;
}
