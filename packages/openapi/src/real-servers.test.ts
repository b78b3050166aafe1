// What real servers send (issue list): each case is worked around with a warning naming the
// server's fault, or refused with an error doing the same; the document stays valid.
import { openApiProblems } from '@scimkit/test-utils/openapi';
import { describe, expect, it } from 'vitest';
import { attribute } from './__fixtures__/discovery.js';
import { type OpenApiWarningCode, type ToOpenApiOptions, toOpenApi } from './index.js';

const DEVICE = 'urn:example:Device';
const resourceType = (extra: Record<string, unknown> = {}) => ({
  name: 'Device',
  endpoint: '/Devices',
  schema: DEVICE,
  ...extra,
});
const deviceSchema = (attributes: unknown, extra: Record<string, unknown> = {}) => ({
  id: DEVICE,
  name: 'Device',
  attributes,
  ...extra,
});

async function convert(options: ToOpenApiOptions) {
  const result = toOpenApi(options);
  expect(await openApiProblems(result.document)).toEqual([]);
  return result;
}

const codes = (warnings: { code: OpenApiWarningCode }[]) => warnings.map((warning) => warning.code);

describe('toOpenApi with what real servers send', () => {
  it('maps sub-attributes of sub-attributes, with a warning', async () => {
    const nested = attribute('hardware', {
      type: 'complex',
      subAttributes: [
        attribute('cpu', { type: 'complex', subAttributes: [attribute('cores', { type: 'integer' })] }),
      ],
    });
    const { document, warnings } = await convert({
      schemas: [deviceSchema([nested])],
      resourceTypes: [resourceType()],
    });
    expect(document.components.schemas.DeviceResource?.properties?.hardware?.properties?.cpu).toMatchObject({
      type: 'object',
      properties: { cores: { type: 'integer' } },
    });
    expect(warnings).toEqual([
      {
        code: 'nestedSubAttributes',
        message:
          'sub-attribute "cpu" of attribute "hardware" of schema "urn:example:Device" has sub-attributes of its own, which RFC 7643 section 2.4 does not allow; they are mapped anyway.',
      },
    ]);
  });

  it('stops at a nesting depth no server needs, without overflowing the stack', async () => {
    let deep = attribute('leaf');
    for (let level = 0; level < 5000; level++)
      deep = attribute(`level${level}`, { type: 'complex', subAttributes: [deep] });
    const { warnings } = await convert({ schemas: [deviceSchema([deep])], resourceTypes: [resourceType()] });
    expect(codes(warnings)).toContain('depthLimit');
  });

  it('keeps attribute names that are not TypeScript identifiers, and hostile ones, as own properties', async () => {
    const names = [
      'employee-number',
      'x.y',
      'class',
      '2fa',
      'with space',
      '__proto__',
      'constructor',
      'toString',
    ];
    const { document, warnings } = await convert({
      schemas: [deviceSchema(names.map((name) => attribute(name))), { id: 'hasOwnProperty', attributes: [] }],
      resourceTypes: [resourceType({ schemaExtensions: [{ schema: 'hasOwnProperty', required: false }] })],
    });
    expect(warnings).toEqual([]);
    const properties = document.components.schemas.DeviceInput?.properties ?? {};
    expect(Object.keys(properties)).toEqual(['schemas', 'externalId', ...names, 'hasOwnProperty']);
    expect(Object.hasOwn(properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(document)).components.schemas.Device.properties)).toEqual(
      names,
    );
  });

  it('gives two schemas with the same name distinct, stable component names', async () => {
    const other = 'urn:acme:scim:schemas:Device';
    const input: ToOpenApiOptions = {
      schemas: [
        deviceSchema([attribute('serial')]),
        { id: other, name: 'Device', attributes: [attribute('asset')] },
      ],
      resourceTypes: [resourceType({ schemaExtensions: [{ schema: other, required: false }] })],
    };
    const { document, warnings } = await convert(input);
    expect(document.components.schemas.Device?.['x-scim-schema']).toBe(DEVICE);
    expect(document.components.schemas.AcmeScimSchemasDevice?.['x-scim-schema']).toBe(other);
    expect(warnings).toEqual([
      {
        code: 'duplicateSchemaName',
        message: `Schemas "${DEVICE}" and "${other}" are both named "Device"; the second is components.schemas.AcmeScimSchemasDevice.`,
      },
    ]);
    expect(JSON.stringify(toOpenApi(input).document)).toBe(JSON.stringify(document));
  });

  it('accepts /Schemas as a bare array and a schema without attributes, typing it as an open object', async () => {
    const { document, warnings } = await convert({
      schemas: [deviceSchema(undefined)],
      resourceTypes: { Resources: [resourceType()] },
    });
    expect(document.components.schemas.Device).toMatchObject({ type: 'object', additionalProperties: true });
    expect(document.components.schemas.DeviceResource).toMatchObject({ additionalProperties: true });
    expect(warnings).toEqual([
      {
        code: 'missingAttributes',
        message: `schema "${DEVICE}" has no attributes list in /Schemas (RFC 7643 section 7 requires one); it is typed as an open object.`,
      },
    ]);
  });

  it('maps an Entra-sized extension of 150 attributes, every one', async () => {
    const extension = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    const attributes = Array.from({ length: 150 }, (_, index) => attribute(`extensionAttribute${index + 1}`));
    const { document, warnings } = await convert({
      schemas: [deviceSchema([attribute('serial')]), { id: extension, name: 'CustomExtension', attributes }],
      resourceTypes: [resourceType({ schemaExtensions: [{ schema: extension, required: 'False' }] })],
    });
    expect(warnings).toEqual([]);
    const nested = document.components.schemas.DeviceInput?.properties?.[extension];
    expect(Object.keys(nested?.properties ?? {})).toHaveLength(150);
    expect(document.components.schemas.DeviceInput?.required).toEqual(['schemas']);
  });

  it('keeps URN keys with dots and colons exact, and derives valid component names from them', async () => {
    const extension = 'urn:example.com:scim:schemas:extension:v1.2:Device';
    const { document } = await convert({
      schemas: [
        { id: DEVICE, attributes: [attribute('serial')] },
        { id: extension, attributes: [attribute('x')] },
      ],
      resourceTypes: [resourceType({ schemaExtensions: [{ schema: extension, required: true }] })],
    });
    expect(document.components.schemas.DeviceResource?.required).toContain(extension);
    expect(Object.keys(document.components.schemas.DeviceResource?.properties ?? {})).toContain(extension);
    // Schemas without a name take the URN's last part; the second Device is qualified.
    expect(document.components.schemas.Device?.['x-scim-schema']).toBe(DEVICE);
    expect(document.components.schemas.ExampleComScimSchemasExtensionV12Device?.['x-scim-schema']).toBe(
      extension,
    );
    for (const name of Object.keys(document.components.schemas))
      expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
  });

  it('types an extension missing from /Schemas as an open object, naming the resource type', async () => {
    const missing = 'urn:example:extension:Missing';
    const { document, warnings } = await convert({
      schemas: [deviceSchema([attribute('serial')])],
      resourceTypes: [resourceType({ schemaExtensions: [{ schema: missing, required: false }] })],
    });
    expect(document.components.schemas.DeviceResource?.properties?.[missing]).toMatchObject({
      type: 'object',
      additionalProperties: true,
    });
    expect(warnings).toEqual([
      {
        code: 'missingSchema',
        message: `Resource type "Device" names extension schema "${missing}", which /Schemas does not serve; it is typed as an open object.`,
      },
    ]);
  });

  it('keeps a resource type whose core schema is missing, open, with a warning', async () => {
    const { document, warnings } = await convert({ schemas: [], resourceTypes: [resourceType()] });
    expect(document.components.schemas.DeviceResource).toMatchObject({
      additionalProperties: true,
      required: ['schemas', 'id', 'meta'],
    });
    expect(codes(warnings)).toEqual(['missingSchema']);
  });

  it('reads characteristics leniently and warns about unknown types and case-duplicates', async () => {
    const { document, warnings } = await convert({
      schemas: [
        deviceSchema([
          {
            name: 'active',
            type: 'Boolean',
            multiValued: 'false',
            required: 'TRUE',
            mutability: 'READWRITE',
          },
          { name: 'Active', type: 'string' },
          { name: 'weight', type: 'float' },
          { name: 'parts', subAttributes: [attribute('name')] },
          { type: 'string' },
          'not an attribute',
        ]),
      ],
      resourceTypes: [resourceType()],
    });
    expect(document.components.schemas.Device?.properties).toEqual({
      active: { type: 'boolean' },
      weight: {},
      parts: { type: 'object', properties: { name: { type: 'string' } } },
    });
    expect(document.components.schemas.Device?.required).toEqual(['active']);
    expect(codes(warnings)).toEqual([
      'duplicateAttribute',
      'unknownType',
      'invalidAttribute',
      'invalidAttribute',
    ]);
    expect(warnings[1]?.message).toBe(
      `attribute "weight" of schema "${DEVICE}" has type "float", which RFC 7643 section 2.3 does not define; it is typed as any JSON value.`,
    );
  });

  it('normalises endpoints and leaves out resource types it cannot use, saying why', async () => {
    const { document, warnings } = await convert({
      schemas: [deviceSchema([attribute('serial')])],
      resourceTypes: [
        resourceType({ endpoint: 'Devices/' }),
        resourceType({ name: 'Phone', endpoint: 'https://example.com/scim/v2/Phones' }),
        resourceType({ name: 'NoEndpoint', endpoint: undefined }),
        resourceType({ name: 'Template', endpoint: '/Things/{id}' }),
        resourceType({ name: 'Again', endpoint: '/devices' }),
        {
          name: 'ServiceProviderConfig',
          endpoint: '/ServiceProviderConfig',
          schema: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
        },
        42,
      ] as never,
    });
    expect(document['x-scim-resourceTypes'].map((entry) => entry.endpoint)).toEqual(['/Devices', '/Phones']);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'resource type "NoEndpoint" has no endpoint (RFC 7643 section 6); it is left out.',
      'resource type "Template" has endpoint "/Things/{id}", which is not a path; it is left out.',
      'resource type "Again" (/devices) repeats the name or endpoint of an earlier resource type; it is left out.',
      '/ResourceTypes lists an entry that is not an object; it is left out.',
    ]);
  });

  it('refuses input that is not discovery at all, naming the endpoint', () => {
    expect(() => toOpenApi({ schemas: [], resourceTypes: { totalResults: 2 } as never })).toThrow(
      '/ResourceTypes answered an object without a Resources list (keys: totalResults); expected a ListResponse (RFC 7644 section 4).',
    );
    const error = (() => {
      try {
        toOpenApi({ schemas: 'nope' as never, resourceTypes: [] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({
      name: 'OpenApiInputError',
      status: 502,
      message: '/Schemas answered string; expected a ListResponse (RFC 7644 section 4).',
    });
    expect(
      toOpenApi({ schemas: { totalResults: 0 } as never, resourceTypes: { Resources: [] } }).warnings,
    ).toEqual([]);
  });

  it('leaves out authentication schemes OpenAPI cannot express', async () => {
    const { document, warnings } = await convert({
      schemas: [],
      resourceTypes: [],
      serviceProviderConfig: {
        authenticationSchemes: [{ type: 'smoke-signals', name: 'Smoke' }, { name: 'x' }],
      },
    });
    expect(document.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' } });
    expect(codes(warnings)).toEqual(['unknownAuthenticationScheme', 'unknownAuthenticationScheme']);
  });
});
