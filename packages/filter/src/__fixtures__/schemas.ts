import type { FilterAttributeDefinition, FilterSchemaDefinition } from '../schema-index.js';

const s = (name: string, extra: Partial<FilterAttributeDefinition> = {}): FilterAttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  ...extra,
});

const multiValuedComplex = (name: string, valueType: FilterAttributeDefinition['type'] = 'string') =>
  s(name, {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      s('value', { type: valueType }),
      s('display'),
      s('type'),
      s('primary', { type: 'boolean' }),
    ],
  });

/** The parts of the RFC 7643 core User schema the tests use. */
export const userSchema: FilterSchemaDefinition = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:User',
  attributes: [
    s('userName'),
    s('name', {
      type: 'complex',
      subAttributes: [s('formatted'), s('familyName'), s('givenName')],
    }),
    s('displayName'),
    s('nickName'),
    s('title'),
    s('userType'),
    s('active', { type: 'boolean' }),
    s('password'),
    multiValuedComplex('emails'),
    multiValuedComplex('phoneNumbers'),
    multiValuedComplex('ims'),
    multiValuedComplex('x509Certificates', 'binary'),
    s('addresses', {
      type: 'complex',
      multiValued: true,
      subAttributes: [s('streetAddress'), s('locality'), s('type'), s('primary', { type: 'boolean' })],
    }),
    s('groups', {
      type: 'complex',
      multiValued: true,
      subAttributes: [s('value'), s('$ref', { type: 'reference' }), s('display')],
    }),
    s('loginCount', { type: 'integer' }),
    s('score', { type: 'decimal' }),
    s('badge', { caseExact: true }),
    s('tags', { multiValued: true }),
  ],
};

/** The RFC 7643 enterprise User extension. */
export const enterpriseSchema: FilterSchemaDefinition = {
  id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  attributes: [
    s('employeeNumber'),
    s('costCenter'),
    s('organization'),
    s('department'),
    s('manager', {
      type: 'complex',
      subAttributes: [s('value'), s('$ref', { type: 'reference' }), s('displayName')],
    }),
  ],
};

/** A custom extension with a URN outside the IETF space. */
export const deviceSchema: FilterSchemaDefinition = {
  id: 'urn:acme:scim:ext:2.0:Device',
  attributes: [s('serial', { caseExact: true }), s('enrolled', { type: 'dateTime' })],
};

export const schemas: readonly FilterSchemaDefinition[] = [userSchema, enterpriseSchema, deviceSchema];
