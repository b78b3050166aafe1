import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema';

/** The RFC 7643 section 8.2 full User, trimmed to what PATCH tests need. */
export function bjensen(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    phoneNumbers: [
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ],
    [ENTERPRISE_USER_SCHEMA]: {
      employeeNumber: '701984',
      department: 'Tour Operations',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
    },
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      version: 'W/"3694e05e9dff591"',
      location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
    },
  };
}

/** A plain User without the enterprise extension. */
export function plainUser(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    id: 'u1',
    userName: 'alice',
    active: true,
    meta: {
      resourceType: 'User',
      created: '2024-01-01T00:00:00Z',
      lastModified: '2024-01-01T00:00:00Z',
      location: 'https://x/Users/u1',
      version: 'W/"1"',
    },
  };
}

/** A Group with `count` members `m0`, `m1`, …. */
export function group(count: number): Record<string, unknown> {
  const members: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) members[i] = { value: `m${i}`, display: `Member ${i}` };
  return {
    schemas: [GROUP_SCHEMA],
    id: 'g1',
    displayName: 'Tour Guides',
    members,
    meta: {
      resourceType: 'Group',
      created: '2024-01-01T00:00:00Z',
      lastModified: '2024-01-01T00:00:00Z',
      location: 'https://x/Groups/g1',
      version: 'W/"1"',
    },
  };
}
