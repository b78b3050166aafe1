import type { AttributeDefinition, ResourceTypeDefinition, ScimResource } from '@scimkit/schema';
import { stringAttribute } from '@scimkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PATCH_OP, startServer } from './__fixtures__/harness.js';
import { withIdentity } from './internal/identity.js';

const META = {
  resourceType: 'User',
  created: '2026-01-01T00:00:00Z',
  lastModified: '2026-01-01T00:00:00Z',
  version: 'W/"2"',
} as ScimResource['meta'];

describe('withIdentity', () => {
  it('gives { schemas, id, ...attributes, meta } in that order, whatever the shape of the data', () => {
    const shapes: Record<string, unknown>[] = [
      { schemas: ['s'], id: 'old', userName: 'a', title: 't', meta: { version: 'W/"1"' } },
      { schemas: ['s'], userName: 'a', title: 't' },
      { userName: 'a', schemas: ['s'], title: 't' },
      { userName: 'a', meta: { version: 'W/"1"' }, schemas: ['s'], id: 'old', title: 't' },
      { userName: 'a', title: 't' },
    ];
    for (const data of shapes) {
      const next = withIdentity(data, 'new', META);
      const keys = Object.keys(next);
      expect(keys.slice(0, 2)).toEqual(['schemas', 'id']);
      expect(keys.at(-1)).toBe('meta');
      expect(keys.slice(2, -1)).toEqual(
        Object.keys(data).filter((key) => key !== 'schemas' && key !== 'id' && key !== 'meta'),
      );
      expect(next).toEqual({ ...data, schemas: data.schemas, id: 'new', meta: META });
    }
  });

  it('keeps an own "__proto__" or "constructor" attribute as data, never as the prototype', () => {
    for (const text of [
      '{"schemas":["s"],"id":"old","__proto__":{"polluted":true},"constructor":"c","meta":{}}',
      '{"schemas":["s"],"__proto__":{"polluted":true},"constructor":"c"}',
      '{"__proto__":{"polluted":true},"id":"old","schemas":["s"],"constructor":"c"}',
    ]) {
      const next = withIdentity(JSON.parse(text) as Record<string, unknown>, 'new', META) as Record<
        string,
        unknown
      >;
      expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
      expect(Object.keys(next)).toEqual(['schemas', 'id', '__proto__', 'constructor', 'meta']);
      expect(Object.getOwnPropertyDescriptor(next, '__proto__')?.value).toEqual({ polluted: true });
      expect((next as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });
});

const attribute = (name: string): AttributeDefinition =>
  stringAttribute(name) as unknown as AttributeDefinition;

const THING = 'urn:example:params:scim:schemas:core:2.0:Thing';
const thingType: ResourceTypeDefinition = {
  name: 'Thing',
  endpoint: '/Things',
  description: 'Attributes named like Object.prototype members',
  schema: {
    id: THING,
    name: 'Thing',
    attributes: [attribute('__proto__'), attribute('constructor'), attribute('label')],
  },
  extensions: [],
};

describe('writes of attributes named like prototype members', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ resourceTypes: [thingType] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps "__proto__" and "constructor" as data through POST, PATCH and PUT', async () => {
    const created = await h.call(
      'POST',
      '/Things',
      `{"schemas":["${THING}"],"__proto__":"p","constructor":"c","label":"one"}`,
    );
    expect(created.status).toBe(201);
    expect(created.text).toContain('"__proto__":"p"');
    expect(created.body.constructor).toBe('c');
    const patched = await h.call('PATCH', `/Things/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'label', value: 'two' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.text).toContain('"__proto__":"p"');
    expect(patched.body).toMatchObject({ constructor: 'c', label: 'two' });
    const replaced = await h.call(
      'PUT',
      `/Things/${created.body.id}`,
      `{"schemas":["${THING}"],"__proto__":"q","constructor":"c","label":"three"}`,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.text).toContain('"__proto__":"q"');
    const read = await h.call('GET', `/Things/${created.body.id}`);
    expect(read.text).toContain('"__proto__":"q"');
    expect(({} as Record<string, unknown>).label).toBeUndefined();
  });
});
