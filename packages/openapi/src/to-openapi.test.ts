import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@scimkit/schema';
import { openApiProblems } from '@scimkit/test-utils/openapi';
import { describe, expect, it } from 'vitest';
import { DEVICE_SCHEMA, deviceDiscovery, rfcDiscovery } from './__fixtures__/discovery.js';
import { type JsonSchema, type OpenApiDocument, type OpenApiResponse, toOpenApi } from './index.js';

const schemaOf = (document: OpenApiDocument, name: string): JsonSchema => {
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`no component ${name}`);
  return schema;
};
const propertiesOf = (schema: JsonSchema | undefined) => Object.keys(schema?.properties ?? {});

describe('toOpenApi', () => {
  it('writes a valid OpenAPI 3.1 document for the RFC core schemas, without warnings', async () => {
    const { document, warnings } = toOpenApi(rfcDiscovery);
    expect(warnings).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiProblems(document)).toEqual([]);
  });

  it('writes a valid document for a server with a custom resource type', async () => {
    const { document, warnings } = toOpenApi(deviceDiscovery);
    expect(warnings).toEqual([]);
    expect(await openApiProblems(document)).toEqual([]);
    expect(document['x-scim-resourceTypes'].map((entry) => [entry.name, entry.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
      ['Device', '/Devices'],
    ]);
  });

  it('names one component per schema from its name, and three per resource type', () => {
    const { document } = toOpenApi(deviceDiscovery);
    const names = Object.keys(document.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining(['User', 'Group', 'EnterpriseUser', 'Device', 'Meta', 'Error', 'PatchOp']),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'UserResource',
        'UserInput',
        'UserListResponse',
        'DeviceResource',
        'DeviceInput',
      ]),
    );
    expect(schemaOf(document, 'Device')['x-scim-schema']).toBe(DEVICE_SCHEMA);
    expect(document['x-scim-resourceTypes'][2]?.components).toEqual({
      resource: 'DeviceResource',
      input: 'DeviceInput',
      listResponse: 'DeviceListResponse',
    });
  });

  it('maps every SCIM type and characteristic of a schema', () => {
    const device = toOpenApi(deviceDiscovery).document.components.schemas.Device!;
    const property = (name: string) => device.properties?.[name];
    expect(property('serialNumber')).toEqual({
      type: 'string',
      'x-scim-mutability': 'immutable',
      'x-scim-uniqueness': 'server',
      'x-scim-caseExact': true,
    });
    expect(property('purchased')).toEqual({ type: 'string', format: 'date-time' });
    expect(property('price')).toEqual({ type: 'number' });
    expect(property('ports')).toEqual({ type: 'integer' });
    expect(property('managed')).toEqual({ type: 'boolean' });
    expect(property('certificate')).toEqual({ type: 'string', contentEncoding: 'base64' });
    expect(property('unlockCode')).toEqual({
      type: 'string',
      writeOnly: true,
      'x-scim-mutability': 'writeOnly',
      'x-scim-returned': 'never',
    });
    expect(property('lastSeen')).toMatchObject({ readOnly: true, format: 'date-time' });
    expect(property('tags')).toEqual({
      type: 'array',
      items: { type: 'string' },
      'x-scim-returned': 'request',
    });
    expect(property('owner')?.properties?.$ref).toEqual({
      type: 'string',
      format: 'uri-reference',
      'x-scim-referenceTypes': ['User'],
    });
    expect(property('owner')?.required).toEqual(['value']);
    expect(device.required).toEqual(['serialNumber', 'tags']);
    expect(device.description).toBe('A laptop or phone handed to an employee');
  });

  it('keeps readOnly attributes out of the input and writeOnly ones out of the resource', () => {
    const { document } = toOpenApi(deviceDiscovery);
    const resource = schemaOf(document, 'DeviceResource');
    const input = schemaOf(document, 'DeviceInput');
    expect(propertiesOf(resource)).toEqual(
      expect.arrayContaining(['schemas', 'id', 'externalId', 'meta', 'lastSeen', 'serialNumber']),
    );
    expect(propertiesOf(resource)).not.toContain('unlockCode');
    expect(propertiesOf(input)).not.toEqual(expect.arrayContaining(['id']));
    expect(propertiesOf(input)).not.toContain('meta');
    expect(propertiesOf(input)).not.toContain('lastSeen');
    expect(input.properties?.unlockCode).toEqual({ type: 'string', writeOnly: true });
    expect(propertiesOf(resource.properties?.owner)).toEqual(['value', '$ref', 'display']);
    expect(propertiesOf(input.properties?.owner)).toEqual(['value', '$ref']);

    const userResource = schemaOf(document, 'UserResource');
    const userInput = schemaOf(document, 'UserInput');
    expect(propertiesOf(userResource)).toContain('groups');
    expect(propertiesOf(userResource)).not.toContain('password');
    expect(propertiesOf(userInput)).toContain('password');
    expect(propertiesOf(userInput)).not.toContain('groups');
    const manager = (schema: JsonSchema) => schema.properties?.[ENTERPRISE_USER_SCHEMA]?.properties?.manager;
    expect(propertiesOf(manager(userResource))).toContain('displayName');
    expect(propertiesOf(manager(userInput))).not.toContain('displayName');
  });

  it('requires what the schema requires; attributes returned on request only are optional in responses', () => {
    const { document } = toOpenApi(deviceDiscovery);
    expect(schemaOf(document, 'DeviceResource').required).toEqual(['schemas', 'id', 'meta', 'serialNumber']);
    expect(schemaOf(document, 'DeviceInput').required).toEqual(['schemas', 'serialNumber', 'tags']);
    expect(schemaOf(document, 'UserInput').required).toEqual(['schemas', 'userName', ENTERPRISE_USER_SCHEMA]);
  });

  it('nests each extension under its URN, in the resource and in the input', () => {
    const { document } = toOpenApi(rfcDiscovery);
    for (const name of ['UserResource', 'UserInput']) {
      const extension = schemaOf(document, name).properties?.[ENTERPRISE_USER_SCHEMA];
      expect(propertiesOf(extension)).toEqual(
        expect.arrayContaining(['employeeNumber', 'costCenter', 'department', 'manager']),
      );
    }
    expect(schemaOf(document, 'UserResource')).toMatchObject({
      'x-scim-resourceType': 'User',
      'x-scim-schema': USER_SCHEMA,
      description: 'User Account',
    });
  });

  it('writes canonicalValues as examples (an open list) by default, as enum on request', () => {
    const model = (mode?: 'enum') =>
      toOpenApi({ ...deviceDiscovery, canonicalValues: mode }).document.components.schemas.DeviceInput
        ?.properties?.model;
    expect(model()).toEqual({ type: 'string', examples: ['laptop', 'phone', 'tablet'] });
    expect(model('enum')).toEqual({ type: 'string', enum: ['laptop', 'phone', 'tablet'] });
  });

  it('describes every endpoint the configuration advertises', () => {
    const { document } = toOpenApi(deviceDiscovery);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/.search',
      '/Bulk',
      '/Devices',
      '/Devices/.search',
      '/Devices/{id}',
      '/Groups',
      '/Groups/.search',
      '/Groups/{id}',
      '/Me',
      '/ResourceTypes',
      '/ResourceTypes/{name}',
      '/Schemas',
      '/Schemas/{id}',
      '/ServiceProviderConfig',
      '/Users',
      '/Users/.search',
      '/Users/{id}',
    ]);
    const devices = document.paths['/Devices']!;
    expect(devices.get?.parameters).toEqual(
      ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'attributes', 'excludedAttributes'].map(
        (name) => ({ $ref: `#/components/parameters/${name}` }),
      ),
    );
    expect(devices.post?.requestBody?.content['application/scim+json']?.schema).toEqual({
      $ref: '#/components/schemas/DeviceInput',
    });
    expect(devices.post?.responses[201]).toMatchObject({
      headers: {
        Location: { $ref: '#/components/headers/Location' },
        ETag: { $ref: '#/components/headers/ETag' },
      },
    });
    const item = document.paths['/Devices/{id}']!;
    expect(Object.keys(item)).toEqual(['parameters', 'get', 'put', 'patch', 'delete']);
    expect(item.patch?.requestBody?.content['application/scim+json']?.schema).toEqual({
      $ref: '#/components/schemas/PatchOp',
    });
    expect(item.put?.parameters).toContainEqual({ $ref: '#/components/parameters/ifMatch' });
    expect(item.get?.parameters).toContainEqual({ $ref: '#/components/parameters/ifNoneMatch' });
    expect(Object.keys(item.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '304', '404']));
    expect(item.delete?.responses[412]).toEqual({ $ref: '#/components/responses/PreconditionFailed' });
    expect(document.paths['/Me']?.get?.responses[501]).toEqual({
      $ref: '#/components/responses/NotImplemented',
    });
  });

  it('leaves out what the configuration does not advertise, and adds cursor paging when it does', async () => {
    const { document } = toOpenApi({
      ...deviceDiscovery,
      serviceProviderConfig: {
        schemas: [],
        patch: { supported: false },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: false, maxResults: 0 },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [],
        pagination: { cursor: true, index: false },
      },
      me: false,
    });
    expect(await openApiProblems(document)).toEqual([]);
    expect(document.paths['/Bulk']).toBeUndefined();
    expect(document.paths['/Me']).toBeUndefined();
    expect(document.components.schemas.BulkRequest).toBeUndefined();
    const item = document.paths['/Users/{id}']!;
    expect(item.patch).toBeUndefined();
    expect(JSON.stringify(item)).not.toMatch(/ifMatch|ifNoneMatch|ETag|PreconditionFailed/);
    expect(document.paths['/Users']?.get?.parameters).toEqual(
      ['count', 'cursor', 'attributes', 'excludedAttributes'].map((name) => ({
        $ref: `#/components/parameters/${name}`,
      })),
    );
  });

  it('answers every failure with the SCIM Error schema', () => {
    const { document } = toOpenApi(deviceDiscovery);
    let failures = 0;
    for (const item of Object.values(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
          if (Number(status) < 400) continue;
          failures++;
          const name = ('$ref' in response ? response.$ref : '').split('/').pop() ?? '';
          const target: OpenApiResponse | undefined = document.components.responses[name];
          expect(target?.content?.['application/scim+json']?.schema).toEqual({
            $ref: '#/components/schemas/Error',
          });
        }
      }
    }
    expect(failures).toBeGreaterThan(100);
    expect(schemaOf(document, 'Error').required).toEqual(['schemas', 'status']);
  });

  it('takes its security schemes from the configuration, bearer without one', () => {
    const rfc = toOpenApi(rfcDiscovery).document;
    expect(rfc.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'OAuth Bearer Token' },
      basicAuth: { type: 'http', scheme: 'basic', description: 'HTTP Basic' },
    });
    expect(rfc.security).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
    const bare = toOpenApi({ schemas: [], resourceTypes: [] }).document;
    expect(bare.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' } });
    expect(bare.servers).toBeUndefined();
    expect(rfc.servers).toEqual([{ url: 'https://example.com/v2' }]);
  });

  it('uses every operation id once', () => {
    const { document } = toOpenApi(deviceDiscovery);
    const ids = Object.values(document.paths).flatMap((item) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap(
        (method) => item[method]?.operationId ?? [],
      ),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['listDevices', 'createDevice', 'getDevice', 'patchUserMe']));
  });

  it('gives the same document for the same input, and a fresh copy each time', () => {
    const first = toOpenApi(deviceDiscovery).document;
    const second = toOpenApi(deviceDiscovery).document;
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    first.components.parameters.filter!.description = 'changed';
    expect(second.components.parameters.filter?.description).not.toBe('changed');
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });
});
