import { describe, expect, it } from 'vitest';
import { openApiProblems } from './openapi.js';

const valid = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/Users/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      User: {
        type: 'object',
        properties: { $ref: { type: 'string', format: 'uri-reference' }, 'x-scim': {} },
      },
    },
  },
};

describe('openApiProblems', () => {
  it('passes a valid document, also with a property named $ref', async () => {
    expect(await openApiProblems(valid)).toEqual([]);
  });

  it('finds a document that is not OpenAPI 3.1', async () => {
    const problems = await openApiProblems({ ...valid, info: { title: 't' } });
    expect(problems.join('\n')).toMatch(/openapi-schema-validator/);
  });

  it('finds a $ref that does not resolve', async () => {
    const broken = structuredClone(valid);
    broken.paths['/Users/{id}'].get.responses[200].content['application/json'].schema.$ref =
      '#/components/schemas/Nope';
    const problems = await openApiProblems(broken);
    expect(problems.join('\n')).toMatch(/@readme\/openapi-parser.*Nope/);
  });

  it('finds a schema that is not JSON Schema 2020-12, which the OpenAPI schema lets pass', async () => {
    const bad = structuredClone(valid) as { components: { schemas: Record<string, unknown> } };
    bad.components.schemas.Bad = { type: 'text' };
    bad.components.schemas.Worse = { properties: { a: { items: 3 } } };
    const problems = await openApiProblems(bad);
    expect(problems).toEqual([
      expect.stringMatching(/^JSON Schema 2020-12 at #\/components\/schemas\/Bad: /),
      expect.stringMatching(/^JSON Schema 2020-12 at #\/components\/schemas\/Worse: /),
    ]);
  });
});
