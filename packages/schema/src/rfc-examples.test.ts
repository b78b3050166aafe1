import {
  rfcEnterpriseUser,
  rfcFullUser,
  rfcGroup,
  rfcMinimalUser,
  rfcResourceTypes,
  rfcServiceProviderConfig,
} from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  coreSchemas,
  groupResourceType,
  resourceTypeDefinition,
  resourceTypeResourceType,
  schemaResourceType,
  serviceProviderConfigDefinition,
  serviceProviderConfigResourceType,
  userResourceType,
} from './definitions.js';
import { ENTERPRISE_USER_SCHEMA, SCHEMA_SCHEMA } from './urns.js';
import { safeValidateResource } from './validate.js';
import {
  groupSchema,
  resourceTypeSchema,
  schemaResourceSchema,
  serviceProviderConfigSchema,
  userSchema,
} from './zod.js';

describe('RFC 7643 section 8 examples', () => {
  it.each([
    ['8.1 minimal User', rfcMinimalUser],
    ['8.2 full User', rfcFullUser],
    ['8.3 Enterprise User', rfcEnterpriseUser],
  ])('%s validates as a response and parses with userSchema', (_, example) => {
    const result = safeValidateResource(example, { resourceType: userResourceType, context: 'response' });
    expect(result.success ? result.warnings : result.error.issues).toEqual([]);
    expect(userSchema.safeParse(example).success).toBe(true);
  });

  it('8.3 Enterprise User keeps its extension under the canonical URN', () => {
    const result = safeValidateResource(rfcEnterpriseUser, {
      resourceType: userResourceType,
      context: 'response',
    });
    expect(result.success && result.data[ENTERPRISE_USER_SCHEMA]).toEqual(
      rfcEnterpriseUser[ENTERPRISE_USER_SCHEMA],
    );
  });

  it('8.2 full User validates as create input without id, meta, groups', () => {
    const result = safeValidateResource(rfcFullUser, { resourceType: userResourceType, context: 'create' });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).not.toHaveProperty('id');
    expect(result.data).not.toHaveProperty('meta');
    expect(result.data).not.toHaveProperty('groups');
    expect(result.data['password']).toBe('t1meMa$heen');
  });

  it('8.4 Group validates', () => {
    const result = safeValidateResource(rfcGroup, { resourceType: groupResourceType, context: 'response' });
    expect(result.success && result.warnings).toEqual([]);
    expect(groupSchema.safeParse(rfcGroup).success).toBe(true);
  });

  it('8.5 ServiceProviderConfig validates', () => {
    const result = safeValidateResource(rfcServiceProviderConfig, {
      resourceType: serviceProviderConfigResourceType,
      context: 'response',
    });
    expect(result.success ? result.warnings : result.error.issues).toEqual([]);
    expect(serviceProviderConfigSchema.safeParse(rfcServiceProviderConfig).success).toBe(true);
  });

  it.each(rfcResourceTypes.map((resourceType) => [resourceType.name, resourceType] as const))(
    '8.6 ResourceType %s validates',
    (_, example) => {
      const result = safeValidateResource(example, {
        resourceType: resourceTypeResourceType,
        context: 'response',
      });
      expect(result.success ? result.warnings : result.error.issues).toEqual([]);
      expect(resourceTypeSchema.safeParse(example).success).toBe(true);
    },
  );

  it.each(
    // The Schema schema cannot describe itself: its `subAttributes` would need a third level of
    // nesting, which RFC 7643 section 8.7.2 does not define (complex attributes nest once).
    [...coreSchemas, serviceProviderConfigDefinition, resourceTypeDefinition].map(
      (schema) => [schema.name, schema] as const,
    ),
  )('8.7 %s schema validates as a Schema resource', (_, schema) => {
    const resource = { schemas: [SCHEMA_SCHEMA], ...schema };
    const result = safeValidateResource(resource, {
      resourceType: schemaResourceType,
      context: 'response',
    });
    expect(result.success ? result.warnings : result.error.issues).toEqual([]);
    expect(schemaResourceSchema.safeParse(resource).success).toBe(true);
  });
});
