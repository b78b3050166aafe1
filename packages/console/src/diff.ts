/**
 * What a write changed in a resource, attribute by attribute: the before/after diff the console
 * shows for each store change. Values of multi-valued attributes are matched by their `value`
 * (`members[value eq "2819c"]`, `emails[value eq "b@x.com"].primary`), so adding one member to
 * a group reads as one added member, not as every later position changed.
 */

/** One difference between two versions of a resource. */
export interface Change {
  /** `added` (absent before), `removed` (absent after) or `changed`. */
  kind: 'added' | 'removed' | 'changed';
  /** The attribute path in SCIM notation: `name.givenName`, `members[value eq "x"]`, `urn:…:User:department`. */
  path: string;
  /** The value before (absent when `added`). */
  before?: unknown;
  /** The value after (absent when `removed`). */
  after?: unknown;
}

/** Attributes whose changes say nothing to a person: the server rewrites them on every write. */
const NOISE = new Set(['meta']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key that identifies a value of a multi-valued attribute, if every value has one. */
function identities(list: readonly unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const item of list) {
    if (isObject(item)) {
      if (!('value' in item) || isObject(item['value']) || Array.isArray(item['value'])) return undefined;
      keys.push(JSON.stringify(item['value']));
    } else if (Array.isArray(item)) return undefined;
    else keys.push(JSON.stringify(item));
  }
  return new Set(keys).size === keys.length ? keys : undefined;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => same(item, other[i]));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && same((a as never)[key], (b as never)[key]))
  );
}

function compare(path: string, before: unknown, after: unknown, into: Change[]): void {
  if (same(before, after)) return;
  if (before === undefined) {
    into.push({ kind: 'added', path, after });
    return;
  }
  if (after === undefined) {
    into.push({ kind: 'removed', path, before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const next = key.includes(':') && path === '' ? key : path ? `${path}.${key}` : key;
      if (path === '' && NOISE.has(key)) continue;
      compare(next, before[key], after[key], into);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keysBefore = identities(before);
    const keysAfter = identities(after);
    if (keysBefore && keysAfter) {
      const afterByKey = new Map(keysAfter.map((key, i) => [key, after[i]]));
      const beforeByKey = new Map(keysBefore.map((key, i) => [key, before[i]]));
      for (const key of new Set([...keysBefore, ...keysAfter])) {
        compare(`${path}[value eq ${key}]`, beforeByKey.get(key), afterByKey.get(key), into);
      }
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      compare(`${path}[${i}]`, before[i], after[i], into);
    }
    return;
  }
  into.push({ kind: 'changed', path, before, after });
}

/**
 * The changes from `before` to `after` (either may be absent: a creation or a deletion), at
 * most `limit` of them; `meta` is left out. Extension attributes read `urn:…:User:department`.
 */
export function diffResources(
  before: unknown,
  after: unknown,
  limit = 200,
): { changes: Change[]; omitted: number } {
  const changes: Change[] = [];
  compare('', before ?? {}, after ?? {}, changes);
  const qualified = changes.map((change) => ({ ...change, path: qualify(change.path) }));
  return { changes: qualified.slice(0, limit), omitted: Math.max(0, qualified.length - limit) };
}

/** `urn:…:User.department` (an extension object walked as a path) read as `urn:…:User:department`. */
function qualify(path: string): string {
  if (!path.startsWith('urn:')) return path;
  const dot = path.indexOf('.', path.lastIndexOf(':'));
  return dot < 0 ? path : `${path.slice(0, dot)}:${path.slice(dot + 1)}`;
}
