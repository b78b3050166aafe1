// The `ScimResources` map that `scimkit codegen` appends to openapi-typescript's output: one
// entry per resource type, naming its types in `components` and its endpoint.
import type { OpenApiDocument, ScimResourceTypeEntry } from './document.js';
import { OpenApiInputError } from './warnings.js';

/** A property key as TypeScript source: bare when it is an identifier, quoted otherwise. */
function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** A string literal (type or value) as TypeScript source. */
function literal(value: string): string {
  // JSON escapes quotes, backslashes and line breaks; U+2028/U+2029 are escaped for old parsers.
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text safe inside a `/** … *\/` comment, on one line. */
function comment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
}

function isEntry(value: unknown, schemas: Record<string, unknown>): value is ScimResourceTypeEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<ScimResourceTypeEntry>;
  const components = entry.components;
  return (
    typeof entry.name === 'string' &&
    typeof entry.endpoint === 'string' &&
    typeof entry.schema === 'string' &&
    typeof components === 'object' &&
    components !== null &&
    [components.resource, components.input].every(
      (name) => typeof name === 'string' && Object.hasOwn(schemas, name),
    )
  );
}

/** The resource types a document describes, checked against its components. */
export function resourceTypeEntries(document: OpenApiDocument): ScimResourceTypeEntry[] {
  const entries: unknown = document['x-scim-resourceTypes'];
  const schemas = document.components?.schemas ?? {};
  if (!Array.isArray(entries) || !entries.every((entry) => isEntry(entry, schemas))) {
    throw new OpenApiInputError(
      'The OpenAPI document has no valid x-scim-resourceTypes list; it was not written by @scimkit/openapi (toOpenApi, scimkit openapi or a scimkit server).',
    );
  }
  return entries;
}

/**
 * TypeScript source declaring `ScimResources`, a type mapping each resource type name to its
 * resource type, input type, endpoint and core schema, and `scimResources`, the same endpoints
 * and schemas as a value. It refers to `components` as openapi-typescript declares it, so it
 * goes at the end of openapi-typescript's output for the same document (what `scimkit codegen`
 * writes).
 *
 * @example
 * ```ts
 * import { renderResourceMap, type ToOpenApiOptions, toOpenApi } from '@scimkit/openapi';
 * import openapiTS, { astToString } from 'openapi-typescript';
 *
 * declare const discovery: ToOpenApiOptions;
 * const { document } = toOpenApi(discovery);
 * const source = `${astToString(await openapiTS(document as never))}\n${renderResourceMap(document)}`;
 * ```
 */
export function renderResourceMap(document: OpenApiDocument): string {
  const entries = resourceTypeEntries(document);
  const type = entries.map((entry) => {
    const schemaType = (name: string) => `components["schemas"][${literal(name)}]`;
    return [
      ...(entry.description ? [`  /** ${comment(entry.description)} */`] : []),
      `  ${key(entry.name)}: {`,
      `    /** The ${comment(entry.name)} as the server returns it. */`,
      `    resource: ${schemaType(entry.components.resource)};`,
      '    /** What create (POST) and replace (PUT) take. */',
      `    input: ${schemaType(entry.components.input)};`,
      `    endpoint: ${literal(entry.endpoint)};`,
      `    schema: ${literal(entry.schema)};`,
      '  };',
    ].join('\n');
  });
  const value = entries.map(
    (entry) =>
      `  ${key(entry.name)}: { endpoint: ${literal(entry.endpoint)}, schema: ${literal(entry.schema)} },`,
  );
  return [
    '/**',
    ' * Every resource type of the server (from /ResourceTypes): the resource as returned, what',
    ' * create and replace take, the endpoint and the core schema URN. With @scimkit/client:',
    ' * `createScimClient<ScimResources>({ baseUrl, token, resources: scimResources })`.',
    ' */',
    'export interface ScimResources {',
    ...type,
    '}',
    '',
    '/** The endpoint and core schema URN of every resource type, at run time. */',
    'export const scimResources = {',
    ...value,
    '} as const;',
    '',
  ].join('\n');
}
