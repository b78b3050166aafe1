// Discovery documents for the tests: the RFC 7643 ones, a server with a custom resource type,
// and a server that bends every rule the issue lists (what real servers send).
import { coreSchemas, type SchemaDefinition } from '@scimkit/schema';
import { rfcResourceTypes, rfcServiceProviderConfig, stringAttribute } from '@scimkit/test-utils';
import type { ToOpenApiOptions } from '../index.js';

/** A schema definition as `/Schemas` serves it. */
export function served(definition: SchemaDefinition) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...definition,
    attributes: [...definition.attributes],
  };
}

/** RFC 7643 section 8.7 and 8.5: User (Enterprise extension required), Group, the example config. */
export const rfcDiscovery: ToOpenApiOptions = {
  schemas: {
    Resources: coreSchemas.map(served),
  },
  resourceTypes: structuredClone(rfcResourceTypes) as never,
  serviceProviderConfig: structuredClone(rfcServiceProviderConfig),
  baseUrl: 'https://example.com/v2',
};

export const DEVICE_SCHEMA = 'urn:example:params:scim:schemas:2.0:Device';

/** A custom resource type with characteristics of every kind. */
export const deviceSchema: SchemaDefinition = {
  id: DEVICE_SCHEMA,
  name: 'Device',
  description: 'A laptop or phone handed to an employee',
  attributes: [
    {
      name: 'serialNumber',
      type: 'string',
      multiValued: false,
      required: true,
      caseExact: true,
      mutability: 'immutable',
      returned: 'default',
      uniqueness: 'server',
    },
    {
      name: 'model',
      type: 'string',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
      canonicalValues: ['laptop', 'phone', 'tablet'],
    },
    {
      name: 'purchased',
      type: 'dateTime',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'price',
      type: 'decimal',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'ports',
      type: 'integer',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'managed',
      type: 'boolean',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'certificate',
      type: 'binary',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'unlockCode',
      type: 'string',
      multiValued: false,
      required: false,
      mutability: 'writeOnly',
      returned: 'never',
    },
    {
      name: 'lastSeen',
      type: 'dateTime',
      multiValued: false,
      required: false,
      mutability: 'readOnly',
      returned: 'default',
    },
    {
      name: 'tags',
      type: 'string',
      multiValued: true,
      required: true,
      mutability: 'readWrite',
      returned: 'request',
    },
    {
      name: 'owner',
      type: 'complex',
      multiValued: false,
      required: false,
      mutability: 'readWrite',
      returned: 'default',
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          multiValued: false,
          required: true,
          mutability: 'readWrite',
          returned: 'default',
        },
        {
          name: '$ref',
          type: 'reference',
          multiValued: false,
          required: false,
          mutability: 'readWrite',
          returned: 'default',
          referenceTypes: ['User'],
        },
        {
          name: 'display',
          type: 'string',
          multiValued: false,
          required: false,
          mutability: 'readOnly',
          returned: 'default',
        },
      ],
    },
  ],
};

/** The RFC discovery plus the Device resource type at /Devices. */
export const deviceDiscovery: ToOpenApiOptions = {
  ...rfcDiscovery,
  schemas: [...coreSchemas, deviceSchema].map(served),
  resourceTypes: [
    ...structuredClone(rfcResourceTypes),
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      name: 'Device',
      endpoint: '/Devices',
      description: 'Devices handed out',
      schema: DEVICE_SCHEMA,
    },
  ] as never,
};

/** A well-formed string attribute with RFC 7643 defaults, for building odd schemas quickly. */
export const attribute = stringAttribute;
