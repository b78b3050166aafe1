import type { AttributeDefinition, ResourceTypeDefinition } from '../definition.js';

/** A simple attribute with the RFC 7643 defaults, for custom test schemas. */
export function simpleAttribute(
  name: string,
  type: AttributeDefinition['type'],
  overrides: Partial<AttributeDefinition> = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    mutability: 'readWrite',
    returned: 'default',
    ...overrides,
  };
}

/** A custom resource type declared at runtime, with one core schema `urn:example:<name>`. */
export function customResourceType(name: string, attributes: AttributeDefinition[]): ResourceTypeDefinition {
  return { name, endpoint: `/${name}s`, schema: { id: `urn:example:${name}`, attributes }, extensions: [] };
}
