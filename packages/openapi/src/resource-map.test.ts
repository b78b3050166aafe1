import { describe, expect, it } from 'vitest';
import { attribute, deviceDiscovery } from './__fixtures__/discovery.js';
import { renderResourceMap, resourceTypeEntries, toOpenApi } from './index.js';

describe('renderResourceMap', () => {
  it('maps each resource type name to its resource, input, endpoint and schema', () => {
    const source = renderResourceMap(toOpenApi(deviceDiscovery).document);
    expect(source).toContain(
      [
        '  /** Devices handed out */',
        '  Device: {',
        '    /** The Device as the server returns it. */',
        '    resource: components["schemas"]["DeviceResource"];',
        '    /** What create (POST) and replace (PUT) take. */',
        '    input: components["schemas"]["DeviceInput"];',
        '    endpoint: "/Devices";',
        '    schema: "urn:example:params:scim:schemas:2.0:Device";',
        '  };',
      ].join('\n'),
    );
    expect(source).toContain('export interface ScimResources {\n  /** User Account */\n  User: {');
    expect(source).toContain(
      'export const scimResources = {\n  User: { endpoint: "/Users", schema: "urn:ietf:params:scim:schemas:core:2.0:User" },',
    );
    expect(source.trimEnd().endsWith('} as const;')).toBe(true);
  });

  it('quotes names that are not identifiers and keeps hostile text out of comments and code', () => {
    const { document } = toOpenApi({
      schemas: [{ id: 'urn:x:Thing', attributes: [attribute('a')] }],
      resourceTypes: [
        {
          name: 'Odd "name" */ x',
          endpoint: '/Odd',
          schema: 'urn:x:Thing',
          description: 'ends a comment */ console.log(1) /*\nand a line',
        },
      ],
    });
    const source = renderResourceMap(document);
    expect(source).toContain('  "Odd \\"name\\" */ x": {');
    expect(source).toContain('  /** ends a comment *\\/ console.log(1) /* and a line */');
    expect(source).toContain('    /** The Odd "name" *\\/ x as the server returns it. */');
    expect(source).not.toMatch(/\*\/ console/);
  });

  it('refuses a document that was not written by toOpenApi', () => {
    const { document } = toOpenApi(deviceDiscovery);
    const message =
      'The OpenAPI document has no valid x-scim-resourceTypes list; it was not written by @scimkit/openapi (toOpenApi, scimkit openapi or a scimkit server).';
    expect(() => renderResourceMap({ ...document, 'x-scim-resourceTypes': undefined as never })).toThrow(
      message,
    );
    const dangling = structuredClone(document);
    delete dangling.components.schemas.DeviceInput;
    expect(() => resourceTypeEntries(dangling)).toThrow(message);
  });
});
