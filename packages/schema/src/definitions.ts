import type {
  AttributeDefinition,
  AttributeType,
  ResourceTypeDefinition,
  SchemaDefinition,
} from './definition.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from './urns.js';

type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/**
 * Builds an attribute definition with every characteristic spelled out, applying the RFC 7643
 * section 2.2 defaults (`required: false`, `caseExact: false`, `mutability: readWrite`,
 * `returned: default`, `uniqueness: none`).
 */
function attribute(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
): AttributeDefinition {
  const { subAttributes, canonicalValues, referenceTypes, ...rest } = options;
  return {
    name,
    type,
    multiValued: rest.multiValued ?? false,
    description,
    required: rest.required ?? false,
    ...(type === 'complex' ||
    type === 'boolean' ||
    type === 'integer' ||
    type === 'decimal' ||
    type === 'dateTime'
      ? {}
      : { caseExact: rest.caseExact ?? false }),
    ...(canonicalValues ? { canonicalValues } : {}),
    mutability: rest.mutability ?? 'readWrite',
    returned: rest.returned ?? 'default',
    uniqueness: rest.uniqueness ?? 'none',
    ...(referenceTypes ? { referenceTypes } : {}),
    ...(subAttributes ? { subAttributes } : {}),
  };
}

/** Copies `options` onto every attribute of `list` (used for read-only sub-attributes). */
function withAll(list: readonly AttributeDefinition[], options: AttributeOptions): AttributeDefinition[] {
  return list.map((a) => ({ ...a, ...options }));
}

/** The `value`, `display`, `type`, `primary` sub-attributes of a multi-valued complex attribute. */
function multiValuedSubAttributes(
  what: string,
  types: readonly string[] | undefined,
  value: AttributeDefinition = attribute('value', 'string', `The ${what}'s value.`),
): AttributeDefinition[] {
  return [
    value,
    attribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
    attribute(
      'type',
      'string',
      `A label indicating the ${what}'s function.`,
      types ? { canonicalValues: types } : {},
    ),
    attribute(
      'primary',
      'boolean',
      `Whether this is the primary ${what}. At most one value may have primary true.`,
    ),
  ];
}

function multiValuedComplex(
  name: string,
  description: string,
  subAttributes: AttributeDefinition[],
  options: AttributeOptions = {},
): AttributeDefinition {
  return attribute(name, 'complex', description, { multiValued: true, subAttributes, ...options });
}

/**
 * The common attributes every resource carries (`id`, `externalId`, `meta`). They are not
 * part of any schema's `attributes` (RFC 7643 section 3.1) but validation and response
 * shaping treat them like core attributes.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1
 */
export const commonAttributes: readonly AttributeDefinition[] = [
  attribute('id', 'string', 'Unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'Identifier of the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  attribute('meta', 'complex', 'Resource metadata maintained by the service provider.', {
    mutability: 'readOnly',
    subAttributes: withAll(
      [
        attribute('resourceType', 'string', 'The name of the resource type of the resource.', {
          caseExact: true,
        }),
        attribute('created', 'dateTime', 'When the resource was added to the service provider.'),
        attribute('lastModified', 'dateTime', 'When the resource was last modified.'),
        attribute('location', 'reference', 'The URI of the resource.', {
          caseExact: true,
          referenceTypes: ['uri'],
        }),
        attribute('version', 'string', 'The version (ETag) of the resource.', { caseExact: true }),
      ],
      { mutability: 'readOnly' },
    ),
  }),
];

/**
 * The core User schema (RFC 7643 section 8.7.1) with the published errata applied.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 */
export const userDefinition: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute(
      'userName',
      'string',
      'Unique identifier for the User, typically used by the user to directly authenticate to the service provider.',
      { required: true, uniqueness: 'server' },
    ),
    attribute('name', 'complex', "The components of the user's real name.", {
      subAttributes: [
        attribute('formatted', 'string', 'The full name, including all middle names, titles, and suffixes.'),
        attribute('familyName', 'string', 'The family name of the User, or last name.'),
        attribute('givenName', 'string', 'The given name of the User, or first name.'),
        attribute('middleName', 'string', 'The middle name(s) of the User.'),
        attribute('honorificPrefix', 'string', 'The honorific prefix(es) of the User, or title.'),
        attribute('honorificSuffix', 'string', 'The honorific suffix(es) of the User, or suffix.'),
      ],
    }),
    attribute('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    attribute('nickName', 'string', 'The casual way to address the user in real life.'),
    attribute('profileUrl', 'reference', "A fully qualified URL pointing to the User's online profile.", {
      referenceTypes: ['external'],
    }),
    attribute('title', 'string', "The user's title, such as 'Vice President'."),
    attribute('userType', 'string', 'The relationship between the organization and the user.'),
    attribute('preferredLanguage', 'string', "The User's preferred written or spoken language."),
    attribute('locale', 'string', "The User's default location for localizing currency, dates and numbers."),
    attribute('timezone', 'string', "The User's time zone in the 'Olson' time zone database format."),
    attribute('active', 'boolean', "The User's administrative status."),
    attribute('password', 'string', "The User's cleartext password, never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedComplex(
      'emails',
      'Email addresses for the user.',
      multiValuedSubAttributes('email address', ['work', 'home', 'other']),
    ),
    multiValuedComplex(
      'phoneNumbers',
      'Phone numbers for the User.',
      multiValuedSubAttributes('phone number', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    ),
    multiValuedComplex(
      'ims',
      'Instant messaging addresses for the User.',
      multiValuedSubAttributes('instant messaging address', [
        'aim',
        'gtalk',
        'icq',
        'xmpp',
        'msn',
        'skype',
        'qq',
        'yahoo',
      ]),
    ),
    multiValuedComplex(
      'photos',
      'URLs of photos of the User.',
      multiValuedSubAttributes(
        'photo',
        ['photo', 'thumbnail'],
        attribute('value', 'reference', 'URL of a photo of the User.', { referenceTypes: ['external'] }),
      ),
    ),
    multiValuedComplex('addresses', 'A physical mailing address for this User.', [
      attribute('formatted', 'string', 'The full mailing address, formatted for display.'),
      attribute('streetAddress', 'string', 'The full street address component.'),
      attribute('locality', 'string', 'The city or locality component.'),
      attribute('region', 'string', 'The state or region component.'),
      attribute('postalCode', 'string', 'The zip code or postal code component.'),
      attribute('country', 'string', 'The country name component (ISO 3166-1 alpha-2).'),
      attribute('type', 'string', "A label indicating the address's function.", {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attribute('primary', 'boolean', 'Whether this is the primary address.'),
    ]),
    multiValuedComplex(
      'groups',
      'Groups the user belongs to, directly or indirectly. Read-only: change membership through the Group.',
      withAll(
        [
          attribute('value', 'string', 'The identifier of the Group.'),
          attribute('$ref', 'reference', 'The URI of the Group.', { referenceTypes: ['User', 'Group'] }),
          attribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
          attribute('type', 'string', "How the membership was derived: 'direct' or 'indirect'.", {
            canonicalValues: ['direct', 'indirect'],
          }),
        ],
        { mutability: 'readOnly' },
      ),
      { mutability: 'readOnly' },
    ),
    multiValuedComplex(
      'entitlements',
      'Entitlements for the User.',
      multiValuedSubAttributes('entitlement', undefined),
    ),
    multiValuedComplex('roles', 'Roles for the User.', multiValuedSubAttributes('role', undefined)),
    multiValuedComplex(
      'x509Certificates',
      'X.509 certificates issued to the User.',
      multiValuedSubAttributes(
        'certificate',
        undefined,
        attribute('value', 'binary', 'The DER-encoded X.509 certificate, base64.'),
      ),
    ),
  ],
};

/**
 * The core Group schema (RFC 7643 section 8.7.1), errata applied: `displayName` is required.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 */
export const groupDefinition: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attribute('displayName', 'string', 'A human-readable name for the Group.', { required: true }),
    multiValuedComplex('members', 'A list of members of the Group.', [
      attribute('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
      attribute('$ref', 'reference', 'The URI of the member resource.', {
        referenceTypes: ['User', 'Group'],
        mutability: 'immutable',
      }),
      attribute('display', 'string', 'A human-readable name for the member.', { mutability: 'immutable' }),
      attribute('type', 'string', 'The type of the member.', {
        canonicalValues: ['User', 'Group'],
        mutability: 'immutable',
      }),
    ]),
  ],
};

/**
 * The Enterprise User extension (RFC 7643 section 8.7.1).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.3
 */
export const enterpriseUserDefinition: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
    attribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    attribute('organization', 'string', 'Identifies the name of an organization.'),
    attribute('division', 'string', 'Identifies the name of a division.'),
    attribute('department', 'string', 'Identifies the name of a department.'),
    attribute('manager', 'complex', "The User's manager.", {
      subAttributes: [
        attribute('value', 'string', 'The id of the SCIM resource representing the manager.'),
        attribute('$ref', 'reference', 'The URI of the SCIM resource representing the manager.', {
          referenceTypes: ['User'],
        }),
        attribute('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

/**
 * The three schemas of RFC 7643 section 8.7.1: User, Group, Enterprise User.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-8.7.1
 */
export const coreSchemas: readonly SchemaDefinition[] = [
  userDefinition,
  groupDefinition,
  enterpriseUserDefinition,
];

const readOnlyBoolean = (name: string, description: string, required = true): AttributeDefinition =>
  attribute(name, 'boolean', description, { required, mutability: 'readOnly' });

const supportedOnly = (name: string, description: string): AttributeDefinition =>
  attribute(name, 'complex', description, {
    required: true,
    mutability: 'readOnly',
    subAttributes: [readOnlyBoolean('supported', 'Whether the operation is supported.')],
  });

/**
 * The ServiceProviderConfig schema (RFC 7643 section 8.7.2), with the `pagination`
 * attribute of RFC 9865 section 4.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-5
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export const serviceProviderConfigDefinition: SchemaDefinition = {
  id: SERVICE_PROVIDER_CONFIG_SCHEMA,
  name: 'Service Provider Configuration',
  description: 'Schema for representing the service provider configuration',
  attributes: [
    attribute('documentationUri', 'reference', 'An HTTP-addressable URL pointing to help documentation.', {
      referenceTypes: ['external'],
      mutability: 'readOnly',
    }),
    supportedOnly('patch', 'PATCH configuration options.'),
    attribute('bulk', 'complex', 'Bulk configuration options.', {
      required: true,
      mutability: 'readOnly',
      subAttributes: [
        readOnlyBoolean('supported', 'Whether bulk is supported.'),
        attribute('maxOperations', 'integer', 'The maximum number of operations.', {
          required: true,
          mutability: 'readOnly',
        }),
        attribute('maxPayloadSize', 'integer', 'The maximum payload size in bytes.', {
          required: true,
          mutability: 'readOnly',
        }),
      ],
    }),
    attribute('filter', 'complex', 'Filter options.', {
      required: true,
      mutability: 'readOnly',
      subAttributes: [
        readOnlyBoolean('supported', 'Whether filtering is supported.'),
        attribute('maxResults', 'integer', 'The maximum number of resources returned in a response.', {
          required: true,
          mutability: 'readOnly',
        }),
      ],
    }),
    supportedOnly('changePassword', 'Change password options.'),
    supportedOnly('sort', 'Sort options.'),
    supportedOnly('etag', 'ETag options.'),
    multiValuedComplex(
      'authenticationSchemes',
      'Supported authentication scheme properties.',
      withAll(
        [
          attribute('type', 'string', 'The authentication scheme.', {
            required: true,
            canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'],
          }),
          attribute('name', 'string', 'The common authentication scheme name.', { required: true }),
          attribute('description', 'string', 'A description of the authentication scheme.', {
            required: true,
          }),
          attribute(
            'specUri',
            'reference',
            "An HTTP-addressable URL pointing to the scheme's specification.",
            {
              referenceTypes: ['external'],
            },
          ),
          attribute('documentationUri', 'reference', 'An HTTP-addressable URL pointing to documentation.', {
            referenceTypes: ['external'],
          }),
          attribute('primary', 'boolean', 'Whether this is the preferred scheme.'),
        ],
        { mutability: 'readOnly' },
      ),
      { required: true, mutability: 'readOnly' },
    ),
    attribute('pagination', 'complex', 'Pagination options (RFC 9865).', {
      mutability: 'readOnly',
      subAttributes: withAll(
        [
          readOnlyBoolean('cursor', 'Whether cursor-based pagination is supported.', false),
          readOnlyBoolean('index', 'Whether index-based pagination is supported.', false),
          attribute('defaultPaginationMethod', 'string', 'The method used when a request names none.', {
            canonicalValues: ['cursor', 'index'],
          }),
          attribute('defaultPageSize', 'integer', 'The page size used when a request sets no count.'),
          attribute('maxPageSize', 'integer', 'The largest page size the service provider returns.'),
          attribute('cursorTimeout', 'integer', 'Seconds a cursor stays valid.'),
        ],
        { mutability: 'readOnly' },
      ),
    }),
  ],
};

/**
 * The ResourceType schema (RFC 7643 section 8.7.2).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6
 */
export const resourceTypeDefinition: SchemaDefinition = {
  id: RESOURCE_TYPE_SCHEMA,
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: withAll(
    [
      attribute('id', 'string', "The resource type's server unique id, often the same as name."),
      attribute('name', 'string', 'The resource type name, e.g. User.', { required: true }),
      attribute('description', 'string', 'The resource type description.'),
      attribute('endpoint', 'reference', "The resource type's HTTP-addressable endpoint, e.g. /Users.", {
        required: true,
        referenceTypes: ['uri'],
      }),
      attribute('schema', 'reference', "The resource type's primary/base schema URI.", {
        required: true,
        caseExact: true,
        referenceTypes: ['uri'],
      }),
      multiValuedComplex(
        'schemaExtensions',
        "A list of URIs of the resource type's schema extensions.",
        withAll(
          [
            attribute('schema', 'reference', 'The URI of a schema extension.', {
              required: true,
              caseExact: true,
              referenceTypes: ['uri'],
            }),
            attribute('required', 'boolean', 'Whether resources must include this extension.', {
              required: true,
            }),
          ],
          { mutability: 'readOnly' },
        ),
      ),
    ],
    { mutability: 'readOnly' },
  ),
};

const schemaAttributeSubAttributes: AttributeDefinition[] = withAll(
  [
    attribute('name', 'string', "The attribute's name.", { required: true, caseExact: true }),
    attribute('type', 'string', "The attribute's data type.", {
      required: true,
      canonicalValues: [
        'string',
        'complex',
        'boolean',
        'decimal',
        'integer',
        'dateTime',
        'reference',
        'binary',
      ],
    }),
    attribute('multiValued', 'boolean', 'Whether the attribute is multi-valued.', { required: true }),
    attribute('description', 'string', 'A human-readable description of the attribute.', { caseExact: true }),
    attribute('required', 'boolean', 'Whether the attribute is required.'),
    attribute('canonicalValues', 'string', 'A collection of suggested canonical values.', {
      multiValued: true,
      caseExact: true,
    }),
    attribute('caseExact', 'boolean', 'Whether string values are case sensitive.'),
    attribute('mutability', 'string', 'Whether the attribute is modifiable.', {
      caseExact: true,
      canonicalValues: ['readOnly', 'readWrite', 'immutable', 'writeOnly'],
    }),
    attribute('returned', 'string', 'When the attribute is returned in a response.', {
      caseExact: true,
      canonicalValues: ['always', 'never', 'default', 'request'],
    }),
    attribute('uniqueness', 'string', 'How the service provider enforces uniqueness.', {
      caseExact: true,
      canonicalValues: ['none', 'server', 'global'],
    }),
    attribute('referenceTypes', 'string', 'The resource types a reference may refer to.', {
      multiValued: true,
      caseExact: true,
    }),
  ],
  { mutability: 'readOnly' },
);

/**
 * The Schema schema (RFC 7643 section 8.7.2): how `/Schemas` describes schemas.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export const schemaDefinition: SchemaDefinition = {
  id: SCHEMA_SCHEMA,
  name: 'Schema',
  description: 'Specifies the schema attribute definitions of a SCIM schema',
  attributes: [
    attribute('id', 'string', 'The unique URI of the schema.', { required: true, mutability: 'readOnly' }),
    attribute('name', 'string', 'The schema name.', { mutability: 'readOnly' }),
    attribute('description', 'string', 'The schema description.', { mutability: 'readOnly' }),
    multiValuedComplex(
      'attributes',
      'A complex attribute that includes the attributes of a schema.',
      [
        ...schemaAttributeSubAttributes,
        multiValuedComplex(
          'subAttributes',
          'Used to define the sub-attributes of a complex attribute.',
          schemaAttributeSubAttributes,
          {
            mutability: 'readOnly',
          },
        ),
      ],
      { required: true, mutability: 'readOnly' },
    ),
  ],
};

/**
 * The User resource type (`/Users`) with the Enterprise User extension, not required.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-8.6
 */
export const userResourceType: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userDefinition,
  extensions: [{ schema: enterpriseUserDefinition, required: false }],
};

/**
 * The Group resource type (`/Groups`).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-8.6
 */
export const groupResourceType: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupDefinition,
  extensions: [],
};

/**
 * The ServiceProviderConfig pseudo resource type, for validating and shaping
 * `/ServiceProviderConfig` responses.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-5
 */
export const serviceProviderConfigResourceType: ResourceTypeDefinition = {
  name: 'ServiceProviderConfig',
  endpoint: '/ServiceProviderConfig',
  schema: serviceProviderConfigDefinition,
  extensions: [],
};

/**
 * The ResourceType resource type, for `/ResourceTypes` responses.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6
 */
export const resourceTypeResourceType: ResourceTypeDefinition = {
  name: 'ResourceType',
  endpoint: '/ResourceTypes',
  schema: resourceTypeDefinition,
  extensions: [],
};

/**
 * The Schema resource type, for `/Schemas` responses.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export const schemaResourceType: ResourceTypeDefinition = {
  name: 'Schema',
  endpoint: '/Schemas',
  schema: schemaDefinition,
  extensions: [],
};
