import { groupResourceType, type ResourceTypeDefinition, userResourceType } from '@scimkit/schema';
import { stringAttribute } from '@scimkit/test-utils';
import { openApiProblems } from '@scimkit/test-utils/openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startServer, TOKEN } from './__fixtures__/harness.js';

const deviceType = {
  name: 'Device',
  endpoint: '/Devices',
  schema: {
    id: 'urn:example:Device',
    name: 'Device',
    attributes: [stringAttribute('serialNumber', { required: true }), stringAttribute('model')],
  },
  extensions: [],
} as unknown as ResourceTypeDefinition;

describe('GET {basePath}/openapi.json', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves the OpenAPI 3.1 document of the configured resource types, valid, as JSON', async () => {
    h = await startServer({ resourceTypes: [userResourceType, groupResourceType, deviceType] });
    const response = await h.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await openApiProblems(response.body)).toEqual([]);
    expect(response.body.servers).toEqual([{ url: h.base }]);
    expect(
      response.body['x-scim-resourceTypes'].map((entry: { endpoint: string }) => entry.endpoint),
    ).toEqual(['/Users', '/Groups', '/Devices']);
    expect(response.body.components.schemas.DeviceInput.required).toEqual(['schemas', 'serialNumber']);
    // The same discovery documents as /Schemas: cursor paging and bulk are advertised, so described.
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/Bulk', '/Devices/{id}']));
    expect(JSON.stringify(response.body.paths['/Users'].get.parameters)).toContain('cursor');
    // The same through fetch (Bun, Deno, Workers), not only the Node adapter's fast path.
    const fetched = await h.scim.fetch(
      new Request(`${h.base}/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(fetched.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await fetched.json()).toEqual(response.body);
  });

  it('asks for the same authentication as discovery', async () => {
    h = await startServer();
    const anonymous = await h.call('GET', '/openapi.json', undefined, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ status: '401' });
    const posted = await h.call('POST', '/openapi.json', {});
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
  });

  it('names the base URL of each request, or the configured one, and takes title and version', async () => {
    h = await startServer({
      basePath: '/api/scim',
      baseUrl: 'https://id.example.com/api/scim',
      openapi: { title: 'Example SCIM', version: '3.1.4', canonicalValues: 'enum' },
    });
    const response = await h.call('GET', `${h.url}/api/scim/openapi.json`);
    expect(response.body.servers).toEqual([{ url: 'https://id.example.com/api/scim' }]);
    expect(response.body.info).toMatchObject({ title: 'Example SCIM', version: '3.1.4' });
    expect(response.body.components.schemas.UserInput.properties.emails.items.properties.type.enum).toEqual([
      'work',
      'home',
      'other',
    ]);
  });

  it('is not served with openapi: false', async () => {
    h = await startServer({ openapi: false });
    const response = await h.call('GET', '/openapi.json');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
    });
  });
});
