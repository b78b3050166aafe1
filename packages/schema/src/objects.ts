// Object helpers shared by validation and shaping (not exported from the package).

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property, also for names such as `__proto__` that plain assignment would misuse. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/**
 * `{ schemas, ...first, ...second }`: own data properties in that order (an own `__proto__` key
 * stays data), as one fast-mode object. Built by keyed stores one by one, an object of 20 keys
 * becomes a dictionary, which `JSON.stringify` and every later read or copy handle on a slow
 * path (a full Enterprise User has 20). A `first` of 20 keys or more, itself built by keyed
 * stores, is a dictionary already, which a spread copies more slowly than the loop.
 */
export function schemasFirst(
  schemas: unknown,
  first: Record<string, unknown>,
  firstKeys: number,
  second: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (firstKeys < 20) return second ? { schemas, ...first, ...second } : { schemas, ...first };
  const out: Record<string, unknown> = { schemas };
  for (const key of Object.keys(first)) setOwn(out, key, first[key]);
  if (second) for (const key of Object.keys(second)) setOwn(out, key, second[key]);
  return out;
}
