/** Sample users, after RFC 7643 section 8.2, in the shapes real servers store. */
export const bjensen = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen',
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff591"',
  },
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  addresses: [
    { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', primary: true },
  ],
  loginCount: 42,
  score: 9.5,
  badge: 'Gold',
  tags: ['blue', 'Green'],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
  'urn:acme:scim:ext:2.0:Device': { serial: 'SN-001', enrolled: '2020-02-29T23:30:00.123456789-01:00' },
};

/** A user whose keys use other casings (attribute names are case-insensitive). */
export const jsmith = {
  SCHEMAS: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  ID: 'b1',
  USERNAME: 'JSmith',
  Name: { FamilyName: 'Smith', givenname: 'John' },
  Title: '',
  Active: false,
  Emails: [{ Value: 'john@example.org', Type: 'home' }],
  Meta: { LastModified: '2011-05-13T06:42:34.5+02:00' },
  'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { EmployeeNumber: '1001', Manager: {} },
  loginCount: 0,
};

/** A near-empty user. */
export const empty = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'e1',
  userName: 'empty',
  emails: [],
  name: {},
  title: null,
};

export const users = { bjensen, jsmith, empty };
