/**
 * How compiled filters read resources: keys matched case-insensitively (the schema's spelling
 * first, inherited properties never), any value of a list, sub-attributes of each value.
 */

/** Reads one value out of another (an attribute of a resource, a sub-attribute of a value). */
export type Read = (value: unknown) => unknown;
/** Tests one value (an attribute value, a resource). */
export type Test = (value: unknown) => boolean;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `key` equals the lower-case `lower`, ignoring case. */
function equalsLower(key: string, lower: string): boolean {
  if (key.length !== lower.length) return false;
  for (let i = 0; i < key.length; i++) {
    let code = key.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) code |= 0x20;
    else if (code >= 0x80) return key.toLowerCase() === lower;
    if (code !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A reader of one key of an object, case-insensitively: the key as spelled in the schema is
 * tried first, then the object's own keys. Inherited properties (`toString`, `__proto__`)
 * are never read.
 */
export function keyReader(name: string): Read {
  const lower = name.toLowerCase();
  if (name in Object.prototype) {
    return (object) => {
      if (typeof object !== 'object' || object === null) return undefined;
      if (Object.hasOwn(object, name)) return (object as Record<string, unknown>)[name];
      return scanKeys(object as Record<string, unknown>, lower);
    };
  }
  return (object) => {
    if (typeof object !== 'object' || object === null) return undefined;
    const value = (object as Record<string, unknown>)[name];
    return value !== undefined ? value : scanKeys(object as Record<string, unknown>, lower);
  };
}

/** The value of the own key of `record` that equals `lower` ignoring case, if any. */
export function scanKeys(record: Record<string, unknown>, lower: string): unknown {
  for (const key in record) {
    if (equalsLower(key, lower) && Object.hasOwn(record, key)) return record[key];
  }
  return undefined;
}

const readValue = keyReader('value');

/** Whether `test` holds for `value` or, for a list, for any of its items; `unwrap` compares a complex value's `value`. */
export function anyLeaf(value: unknown, unwrap: boolean, test: Test): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (test(unwrap && isRecord(item) ? readValue(item) : item)) return true;
    }
    return false;
  }
  return test(unwrap && isRecord(value) ? readValue(value) : value);
}

/** {@link anyLeaf} over the sub-attribute `sub` of `value` (of each item of a list). */
export function anySub(value: unknown, sub: Read, unwrap: boolean, test: Test): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (anyLeaf(sub(value[i]), unwrap, test)) return true;
    return false;
  }
  return anyLeaf(sub(value), unwrap, test);
}

export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (isPresent(item)) return true;
    return false;
  }
  if (typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key)) return true;
    return false;
  }
  return true;
}

/**
 * The hot path for `container:attribute`, `attribute.sub` and `container:attribute.sub`: plain
 * keys read straight from the objects, the schema's spelling first. A missing or non-object
 * step matches nothing (no test holds for an absent value).
 */
export function twoStepPredicate(
  keys: { container: string | undefined; attribute: string; sub: string | undefined },
  unwrap: boolean,
  test: Test,
): Test {
  const { container, attribute, sub } = keys;
  const attributeLower = attribute.toLowerCase();
  if (sub === undefined) {
    const containerKey = container!;
    const containerLower = containerKey.toLowerCase();
    return (resource) => {
      let box = (resource as Record<string, unknown>)[containerKey];
      if (box === undefined) box = scanKeys(resource as Record<string, unknown>, containerLower);
      if (typeof box !== 'object' || box === null) return false;
      let value = (box as Record<string, unknown>)[attribute];
      if (value === undefined) value = scanKeys(box as Record<string, unknown>, attributeLower);
      return anyLeaf(value, unwrap, test);
    };
  }
  const subLower = sub.toLowerCase();
  const containerLower = container?.toLowerCase();
  return (resource) => {
    let box: unknown = resource;
    if (container !== undefined) {
      box = (resource as Record<string, unknown>)[container];
      if (box === undefined) box = scanKeys(resource as Record<string, unknown>, containerLower!);
      if (typeof box !== 'object' || box === null) return false;
    }
    let value = (box as Record<string, unknown>)[attribute];
    if (value === undefined) value = scanKeys(box as Record<string, unknown>, attributeLower);
    if (typeof value !== 'object' || value === null) return false;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item !== 'object' || item === null) continue;
        let subValue = (item as Record<string, unknown>)[sub];
        if (subValue === undefined) subValue = scanKeys(item as Record<string, unknown>, subLower);
        if (anyLeaf(subValue, unwrap, test)) return true;
      }
      return false;
    }
    let subValue = (value as Record<string, unknown>)[sub];
    if (subValue === undefined) subValue = scanKeys(value as Record<string, unknown>, subLower);
    return anyLeaf(subValue, unwrap, test);
  };
}
