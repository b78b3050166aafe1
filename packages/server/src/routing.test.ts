import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  type Harness,
  PATCH_OP,
  startServer,
  TOKEN,
  USER_SCHEMA,
  user,
} from './__fixtures__/harness.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('createScimServer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('discovery', () => {
    it('serves ServiceProviderConfig with bulk, filter, etag and RFC 9865 pagination', async () => {
      const response = await h.call('GET', '/ServiceProviderConfig');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: 1000 },
        etag: { supported: true },
        sort: { supported: true },
        pagination: { cursor: true, index: true, defaultPageSize: 100, maxPageSize: 1000 },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      });
    });

    it('serves ResourceTypes and Schemas as lists and single resources', async () => {
      const types = await h.call('GET', '/ResourceTypes');
      expect(types.body).toMatchObject({ schemas: [LIST], totalResults: 2 });
      expect(types.body.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
      const userType = await h.call('GET', '/ResourceTypes/User');
      expect(userType.body).toMatchObject({
        id: 'User',
        endpoint: '/Users',
        schema: USER_SCHEMA,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
        meta: { resourceType: 'ResourceType', location: `${h.base}/ResourceTypes/User` },
      });
      const schemas = await h.call('GET', '/Schemas');
      expect(schemas.body.Resources.map((r: { id: string }) => r.id)).toEqual([
        USER_SCHEMA,
        ENTERPRISE,
        GROUP_SCHEMA,
      ]);
      const schema = await h.call('GET', `/Schemas/${ENTERPRISE}`);
      expect(schema.body.attributes.map((a: { name: string }) => a.name)).toContain('manager');
      expect((await h.call('GET', '/Schemas/urn:nope')).status).toBe(404);
      expect((await h.call('GET', '/ResourceTypes/Nope')).status).toBe(404);
      expect((await h.call('GET', '/Schemas?filter=id%20pr')).status).toBe(403);
    });
  });

  describe('routing', () => {
    it('answers 404 for unknown routes and 405 with Allow for unsupported methods', async () => {
      expect((await h.call('GET', '/Widgets')).status).toBe(404);
      expect((await h.call('GET', '/Users/a/b')).status).toBe(404);
      expect((await h.call('GET', '')).status).toBe(404);
      expect((await h.call('GET', `${h.url}/elsewhere`)).status).toBe(404);
      const deleteAll = await h.call('DELETE', '/Users');
      expect(deleteAll.status).toBe(405);
      expect(deleteAll.headers.get('allow')).toBe('GET, POST');
      expect(deleteAll.body).toMatchObject({ schemas: [ERROR], status: '405' });
      expect((await h.call('PUT', '/ServiceProviderConfig', {})).status).toBe(405);
      expect((await h.call('GET', '/Bulk')).status).toBe(405);
      expect((await h.call('GET', '/Users/.search')).status).toBe(405);
      expect((await h.call('POST', '/Users/some-id', {})).status).toBe(405);
    });

    it('answers 501 for /Me when the principal maps to no user', async () => {
      const response = await h.call('GET', '/Me');
      expect(response.status).toBe(501);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '501' });
    });
  });

  describe('authentication', () => {
    const routes: [string, string][] = [
      ['GET', '/Users'],
      ['POST', '/Users'],
      ['GET', '/Users/x'],
      ['PUT', '/Users/x'],
      ['PATCH', '/Users/x'],
      ['DELETE', '/Users/x'],
      ['POST', '/Users/.search'],
      ['GET', '/Groups'],
      ['POST', '/.search'],
      ['POST', '/Bulk'],
      ['GET', '/Me'],
      ['GET', '/ServiceProviderConfig'],
      ['GET', '/ResourceTypes'],
      ['GET', '/ResourceTypes/User'],
      ['GET', '/Schemas'],
      ['GET', `/Schemas/${USER_SCHEMA}`],
      ['GET', '/Unknown'],
    ];
    it('answers 401 with WWW-Authenticate on every route without a valid token', async () => {
      for (const [method, path] of routes) {
        for (const authorization of [
          undefined,
          'Bearer wrong-token',
          `Basic ${btoa(`user:${TOKEN}`)}`,
          TOKEN,
        ]) {
          const response = await fetch(`${h.base}${path}`, {
            method,
            headers: authorization ? { authorization } : {},
            ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: '{}' } : {}),
          });
          expect(response.status, `${method} ${path} ${authorization}`).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer realm="scim"');
          const body = (await response.json()) as Record<string, unknown>;
          expect(body).toMatchObject({ schemas: [ERROR], status: '401' });
        }
      }
    });
  });

  it('reports unexpected exceptions to onError and answers a generic 500', async () => {
    const broken = await startServer({
      store: {
        ...(await import('./memory-store.js')).createMemoryStore(),
        get: async () => {
          throw new Error('database exploded at /var/lib/secret');
        },
      },
    });
    try {
      const response = await broken.call('GET', '/Users/x');
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        schemas: [ERROR],
        status: '500',
        detail: 'The service provider failed to process the request.',
      });
      expect(response.text).not.toContain('exploded');
      expect(broken.errors).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

describe('createScimServer with a verify callback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({
      auth: {
        verify: (token) => {
          if (token === TOKEN) return { id: 'client-a', tenant: 'a' };
          if (token === 'tenant-b') return { id: 'client-b', tenant: 'b' };
          if (token.startsWith('me:')) return { tenant: 'a', userId: token.slice(3) };
          return undefined;
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('partitions resources by the principal tenant', async () => {
    const created = await h.call('POST', '/Users', user('tenant-user'));
    expect(created.status).toBe(201);
    const other = await h.call('GET', `/Users/${created.body.id}`, undefined, {
      authorization: 'Bearer tenant-b',
    });
    expect(other.status).toBe(404);
    const sameName = await h.call('POST', '/Users', user('tenant-user'), {
      authorization: 'Bearer tenant-b',
    });
    expect(sameName.status).toBe(201);
    const rejected = await h.call('GET', '/Users', undefined, { authorization: 'Bearer nobody' });
    expect(rejected.status).toBe(401);
  });

  it('serves /Me for a principal that maps to a user', async () => {
    const created = await h.call('POST', '/Users', user('me-user', { title: 'a' }));
    const me = { authorization: `Bearer me:${created.body.id}` };
    const got = await h.call('GET', '/Me', undefined, me);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(created.body.id);
    const patched = await h.call(
      'PATCH',
      '/Me',
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] },
      me,
    );
    expect(patched.body.title).toBe('b');
    expect((await h.call('POST', '/Me', user('x'), me)).status).toBe(501);
    expect((await h.call('GET', '/Me', undefined, { authorization: 'Bearer me:missing' })).status).toBe(404);
  });
});

describe('createScimServer with a verify callback returning a malformed tenant', () => {
  it.each([
    ['a number', 1001],
    ['null', null],
    ['an empty string', ''],
    ['an object', { id: 'a' }],
  ])(
    'answers 500 through onError for a tenant that is %s, never the default tenant',
    async (_name, tenant) => {
      const h = await startServer({
        auth: {
          verify: (token) => (token === TOKEN ? {} : ({ tenant } as unknown as { tenant: string })),
        },
      });
      try {
        // A resource in the default (tenant-less) partition that the malformed principal must not see.
        expect((await h.call('POST', '/Users', user('default-tenant-user'))).status).toBe(201);
        const bad = { authorization: 'Bearer malformed' };
        const listed = await h.call('GET', '/Users', undefined, bad);
        expect(listed.status).toBe(500);
        expect(listed.text).not.toContain('default-tenant-user');
        expect(listed.body.detail).toBe('The service provider failed to process the request.');
        const created = await h.call('POST', '/Users', user('intruder'), bad);
        expect(created.status).toBe(500);
        expect(h.errors).toHaveLength(2);
        expect(String(h.errors[0])).toMatch(/tenant must be a non-empty string/);
        const all = await h.call('GET', '/Users');
        expect(all.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
          'default-tenant-user',
        ]);
      } finally {
        await h.close();
      }
    },
  );
});

describe('createScimServer in strict mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ strict: true, basePath: '/api/scim/' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves under a custom base path and rejects IdP deviations', async () => {
    const base = `${h.url}/api/scim`;
    const created = await h.call('POST', `${base}/Users`, user('strict-1'));
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`${base}/Users/${created.body.id}`);
    const stringBoolean = await h.call('POST', `${base}/Users`, user('strict-2', { active: 'True' }));
    expect(stringBoolean.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const noSchemas = await h.call('POST', `${base}/Users`, { userName: 'strict-3' });
    expect(noSchemas.body).toMatchObject({ status: '400' });
    const capitalised = await h.call('PATCH', `${base}/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'title', value: 'x' }],
    });
    expect(capitalised.status).toBe(400);
    const withoutSchema = await h.call('PATCH', `${base}/Users/${created.body.id}`, {
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    });
    expect(withoutSchema.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const entraFilter = await h.call(
      'GET',
      `${base}/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "x"')}`,
    );
    expect(entraFilter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await h.call('GET', '/Users')).status).toBe(404);
  });
});

describe('createScimServer compatibility switches', () => {
  it('turns single behaviours off while the others stay on', async () => {
    const h = await startServer({
      compatibility: {
        coerceBooleans: false,
        patch: { capitalisedOps: false },
        dropUnknownAttributes: false,
      },
    });
    try {
      const stringBoolean = await h.call('POST', '/Users', user('compat-1', { active: 'True' }));
      expect(stringBoolean.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      const unknown = await h.call('POST', '/Users', user('compat-1', { shoeSize: 44 }));
      expect(unknown.status).toBe(400);
      const created = await h.call('POST', '/Users', user('compat-1'));
      expect(created.status).toBe(201);
      const capitalised = await h.call('PATCH', `/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'title', value: 'x' }],
      });
      expect(capitalised.status).toBe(400);
      const patchStringBoolean = await h.call('PATCH', `/Users/${created.body.id}`, {
        Operations: [{ op: 'replace', path: 'active', value: 'False' }],
      });
      expect(patchStringBoolean.status).toBe(200);
      expect(patchStringBoolean.body.active).toBe(false);
      const entraFilter = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "x"')}`,
      );
      expect(entraFilter.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('createScimServer against hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({
      baseUrl: 'https://id.example.com/scim/v2/',
      onCreated: () => {
        throw new Error('audit log down');
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('never pollutes prototypes through bodies, PATCH paths or filters', async () => {
    const created = await h.call(
      'POST',
      '/Users',
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(created.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const path of ['__proto__.polluted', 'constructor.prototype.polluted', 'toString']) {
      const response = await h.call('PATCH', `/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path, value: true }],
      });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidPath');
    }
    const filter = await h.call('GET', `/Users?filter=${encodeURIComponent('__proto__ eq "x"')}`);
    expect(filter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const deep = await h.call(
      'GET',
      `/Users?filter=${encodeURIComponent(`${'('.repeat(200)}userName eq "x"${')'.repeat(200)}`)}`,
    );
    expect(deep.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers malformed search, patch and bulk bodies with 400 invalidSyntax', async () => {
    for (const [method, path] of [
      ['POST', '/Users/.search'],
      ['POST', '/.search'],
      ['POST', '/Bulk'],
      ['PATCH', '/Users/x'],
      ['PUT', '/Users/x'],
    ] as const) {
      const response = await h.call(method, path, '{"oops"');
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.scimType).toBe('invalidSyntax');
    }
  });

  it('uses baseUrl for locations and keeps answering when an event hook throws', async () => {
    const created = await h.call('POST', '/Users', user('hooked'));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`https://id.example.com/scim/v2/Users/${created.body.id}`);
    expect(h.errors.map((error) => (error as Error).message)).toContain('audit log down');
    const config = await h.call('GET', '/ServiceProviderConfig');
    expect(config.body.meta.location).toBe('https://id.example.com/scim/v2/ServiceProviderConfig');
  });
});
