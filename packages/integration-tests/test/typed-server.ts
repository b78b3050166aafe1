// A @scimkit/server with what typed clients must cope with: the core User with the Enterprise
// extension and a custom one (Badge), Group, and a custom resource type (Device) with
// attributes of every kind, on 127.0.0.1:0.
import {
  type AttributeDefinition,
  groupResourceType,
  type ResourceTypeDefinition,
  userResourceType,
} from '@scimkit/schema';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { type RunningServer, serveNode } from '@scimkit/server/node';
import { stringAttribute } from '@scimkit/test-utils';

export const TYPED_TOKEN = 'typed-token';
export const DEVICE_SCHEMA = 'urn:example:params:scim:schemas:core:2.0:Device';
export const BADGE_SCHEMA = 'urn:example:params:scim:schemas:extension:badge:2.0:User';

const attribute = (
  name: string,
  type: AttributeDefinition['type'],
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition => stringAttribute(name, { type, ...extra }) as AttributeDefinition;

/** Devices handed to employees: every SCIM type, a read-only, a write-only and a complex attribute. */
export const deviceResourceType: ResourceTypeDefinition = {
  name: 'Device',
  endpoint: '/Devices',
  description: 'A laptop or phone handed to an employee',
  schema: {
    id: DEVICE_SCHEMA,
    name: 'Device',
    description: 'Device',
    attributes: [
      attribute('serialNumber', 'string', {
        required: true,
        caseExact: true,
        mutability: 'immutable',
        uniqueness: 'server',
        description: 'The serial number printed on the device.',
      }),
      attribute('model', 'string', { canonicalValues: ['laptop', 'phone', 'tablet'] }),
      attribute('purchased', 'dateTime'),
      attribute('price', 'decimal'),
      attribute('ports', 'integer'),
      attribute('managed', 'boolean'),
      attribute('unlockCode', 'string', { mutability: 'writeOnly', returned: 'never' }),
      attribute('lastSeen', 'dateTime', { mutability: 'readOnly' }),
      attribute('tags', 'string', { multiValued: true }),
      attribute('owner', 'complex', {
        subAttributes: [
          attribute('value', 'string', { required: true }),
          attribute('display', 'string', { mutability: 'readOnly' }),
        ],
      }),
    ],
  },
  extensions: [],
};

/** The core User with the Enterprise extension and a company's own Badge extension. */
export const userWithBadge: ResourceTypeDefinition = {
  ...userResourceType,
  extensions: [
    ...userResourceType.extensions,
    {
      schema: {
        id: BADGE_SCHEMA,
        name: 'Badge',
        description: 'Office badge',
        attributes: [
          attribute('badgeNumber', 'string', { uniqueness: 'server' }),
          attribute('floor', 'integer'),
        ],
      },
      required: false,
    },
  ],
};

export const typedResourceTypes = [userWithBadge, groupResourceType, deviceResourceType];

/** Starts the server; its SCIM base URL is `${url}/scim/v2`. */
export function startTypedServer(): Promise<RunningServer> {
  const server = createScimServer({
    store: createMemoryStore(),
    auth: { tokens: [TYPED_TOKEN] },
    resourceTypes: typedResourceTypes,
    onError: () => {},
  });
  return serveNode({ server, port: 0, host: '127.0.0.1' });
}
