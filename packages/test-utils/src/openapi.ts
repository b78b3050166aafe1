/**
 * Checks an OpenAPI 3.1 document with maintained validators, not by hand: the OpenAPI 3.1 JSON
 * Schema (@seriousme/openapi-schema-validator), the semantic and `$ref` checks of
 * @readme/openapi-parser, and ajv's JSON Schema 2020-12 meta-schema for every schema in it
 * (the OpenAPI schema itself lets any object pass as a Schema Object).
 */
import { validate as readmeValidate } from '@readme/openapi-parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** A JSON pointer fragment from path segments (`~` and `/` escaped, then URI-encoded). */
function pointer(segments: readonly string[]): string {
  return `#/${segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
}

/** Every JSON Schema in the document: components, and inline in parameters, bodies and responses. */
function schemasOf(document: Json): { at: string; schema: unknown }[] {
  const found: { at: string; schema: unknown }[] = [];
  const walk = (value: unknown, at: string[]): void => {
    // Object.entries walks arrays too, by index.
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'schema') found.push({ at: pointer([...at, key]), schema: child });
      else walk(child, [...at, key]);
    }
  };
  const components = (document.components ?? {}) as Json;
  walk(document.paths, ['paths']);
  for (const kind of ['parameters', 'responses', 'headers']) walk(components[kind], ['components', kind]);
  for (const [name, schema] of Object.entries((components.schemas ?? {}) as Json)) {
    found.push({ at: pointer(['components', 'schemas', name]), schema });
  }
  return found;
}

/**
 * A copy of `document` whose properties named `$ref` (SCIM's reference sub-attribute, as in
 * `members.$ref`) are renamed: openapi-schema-validator takes every `$ref` key for a reference,
 * even a property name inside `properties`, where JSON Schema 2020-12 allows any name.
 */
function withoutRefProperties(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutRefProperties);
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key !== 'properties' || typeof child !== 'object' || child === null)
        return [key, withoutRefProperties(child)];
      const renamed = Object.entries(child).map(([name, schema]) => [
        name === '$ref' ? 'x-ref-property' : name,
        schema,
      ]);
      return [key, withoutRefProperties(Object.fromEntries(renamed))];
    }),
  );
}

/**
 * The problems three validators find in `document`; an empty list means it is a valid OpenAPI
 * 3.1 document whose schemas are valid JSON Schema 2020-12 and whose `$ref`s all resolve.
 */
export async function openApiProblems(document: unknown): Promise<string[]> {
  const problems: string[] = [];
  const seriousme = await new Validator().validate(withoutRefProperties(document) as Json);
  if (!seriousme.valid) problems.push(`openapi-schema-validator: ${JSON.stringify(seriousme.errors)}`);
  const readme = await readmeValidate(structuredClone(document) as never);
  if (!readme.valid) problems.push(`@readme/openapi-parser: ${JSON.stringify(readme.errors)}`);

  // Unknown keywords (x-scim-*) are allowed, as OpenAPI 3.1 allows extensions in schemas.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const root = structuredClone(document) as Json;
  ajv.addSchema({ ...root, $id: 'https://openapi.test/document.json' });
  for (const { at, schema } of schemasOf(root)) {
    if (!ajv.validateSchema(schema as Json)) {
      problems.push(`JSON Schema 2020-12 at ${at}: ${ajv.errorsText(ajv.errors)}`);
      continue;
    }
    try {
      // Compiling resolves every $ref against the document.
      ajv.compile({ $ref: `https://openapi.test/document.json${at}` });
    } catch (error) {
      problems.push(`JSON Schema at ${at} does not compile: ${(error as Error).message}`);
    }
  }
  return problems;
}
