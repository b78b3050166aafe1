// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: the OpenAPI document of the RFC 7643 User and Group, for real.
export default async (mod, kind) => {
  const { coreSchemas, groupResourceType, userResourceType } = await import('@scimkit/schema');
  const resourceType = (type) => ({
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
    schema: type.schema.id,
    schemaExtensions: (type.extensions ?? []).map((extension) => ({
      schema: extension.schema.id,
      required: extension.required,
    })),
  });
  const { document, warnings } = mod.toOpenApi({
    schemas: coreSchemas,
    resourceTypes: [resourceType(userResourceType), resourceType(groupResourceType)],
    baseUrl: 'https://scim.example.com/scim/v2',
  });
  if (document.openapi !== '3.1.0' || !document.paths['/Users/{id}'] || warnings.length !== 0) {
    throw new Error(
      `${kind}: toOpenApi gave ${document.openapi}, paths ${Object.keys(document.paths ?? {})}, ${JSON.stringify(warnings)}`,
    );
  }
  if (!/Users/.test(mod.renderResourceMap(document)))
    throw new Error(`${kind}: renderResourceMap names no Users`);
};
