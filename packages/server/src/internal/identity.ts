import type { ScimResource } from '@scimkit/schema';
import { setOwn } from '@scimkit/schema/internal';

/**
 * The resource a write stores: `{ schemas, id, ...attributes, meta }` of
 * `{ schemas, id: _, meta: _, ...attributes } = data`, the same keys in the same order.
 *
 * Written without the object rest: V8 (Node 20) runs a rest with excluded keys in its runtime,
 * thousands of instructions per write. A spread whose later keys only replace values copies the
 * source's map instead, so the common shapes take one spread:
 * - `data` already holds `schemas`, `id` and `meta` in those places: `{ ...data, id, meta }`;
 * - `data` holds neither `id` nor `meta` (a POST's validation): `{ schemas, id, ...data, meta }`,
 *   where the spread writes `schemas` again in the first place.
 * Anything else (a PATCH's validation holds `meta` after `externalId`) is copied key by key;
 * `meta` comes last by a named store, which unlike a keyed one never turns an object of 20
 * keys into a dictionary. Spreads and `setOwn` keep an own `__proto__` attribute as data.
 */
export function withIdentity(
  data: Record<string, unknown>,
  id: string,
  meta: ScimResource['meta'],
): ScimResource {
  const keys = Object.keys(data);
  const last = keys.length - 1;
  if (last >= 2 && keys[0] === 'schemas' && keys[1] === 'id' && keys[last] === 'meta')
    return { ...data, id, meta } as ScimResource;
  if (!Object.hasOwn(data, 'id') && !Object.hasOwn(data, 'meta'))
    return { schemas: data['schemas'], id, ...data, meta } as ScimResource;
  const next: Record<string, unknown> = {};
  next.schemas = data['schemas'];
  next.id = id;
  for (const key of keys) {
    if (key !== 'schemas' && key !== 'id' && key !== 'meta') setOwn(next, key, data[key]);
  }
  next.meta = meta;
  return next as unknown as ScimResource;
}
