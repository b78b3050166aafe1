import { createRandom, deterministicId } from './prng.js';

/** Schema URNs used by the corpus. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const GIVEN = [
  'Barbara',
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Susan',
  'Richard',
  'Jessica',
  'Joseph',
  'Sarah',
  'Thomas',
  'Karen',
  'Wei',
  'Aiko',
  'Mateo',
  'Amara',
  'Lars',
  'Priya',
  'Olumide',
  'Sven',
  'Chloé',
  'Zoë',
  'Ngozi',
] as const;
const FAMILY = [
  'Jensen',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  "O'Malley",
  'Nakamura',
  'Okafor',
  'Svensson',
  'Patel',
  'Müller',
  'Dubois',
  'Rossi',
  'Kowalski',
  'Smythe',
] as const;
const TITLES = [
  'Engineer',
  'Senior Engineer',
  'Manager',
  'Director',
  'Analyst',
  'Designer',
  'Tour Guide',
  'Sales Rep',
];
const USER_TYPES = ['Employee', 'Contractor', 'Intern'] as const;
const DEPARTMENTS = ['Sales', 'Engineering', 'Marketing', 'Finance', 'Legal', 'Support', 'HR', 'Operations'];
const DIVISIONS = ['Americas', 'EMEA', 'APAC'];
const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'ja-JP'];
const DOMAINS = ['example.com', 'example.org', 'contoso.com'];
const CITIES = [
  { locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US' },
  { locality: 'Paris', region: 'IDF', postalCode: '75001', country: 'FR' },
  { locality: 'Berlin', region: 'BE', postalCode: '10115', country: 'DE' },
  { locality: 'Tokyo', region: '13', postalCode: '100-0001', country: 'JP' },
];

/** A SCIM resource as plain JSON. */
export type Json = Record<string, unknown>;

/** Deterministic id of user `i`. */
export const userId = (i: number): string => deterministicId(1, i);
/** Deterministic id of group `i`. */
export const groupId = (i: number): string => deterministicId(2, i);
/** The userName of user `i`. */
export const userNameOf = (i: number): string => `user${i}@example.com`;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A full Enterprise user (core + enterprise extension, every common attribute filled), the same
 * for the same `i` on every run. ~1.3 kB of JSON.
 */
export function generateUser(i: number): Json {
  const random = createRandom(i * 7919 + 17);
  const givenName = random.pick(GIVEN);
  const familyName = random.pick(FAMILY);
  const domain = random.pick(DOMAINS);
  const city = random.pick(CITIES);
  const created = new Date(
    Date.UTC(2020, 0, 1) + random.int(4 * 365) * 86_400_000 + random.int(86_400) * 1000,
  );
  const modified = new Date(created.getTime() + random.int(365) * 86_400_000);
  const id = userId(i);
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    id,
    externalId: `ext-${pad(i, 7)}`,
    userName: userNameOf(i),
    name: {
      formatted: `${givenName} ${familyName}`,
      familyName,
      givenName,
      honorificPrefix: random.bool(0.2) ? 'Dr.' : 'Ms.',
    },
    displayName: `${givenName} ${familyName}`,
    nickName: givenName.slice(0, 3),
    profileUrl: `https://login.${domain}/${givenName.toLowerCase()}${i}`,
    title: random.pick(TITLES),
    userType: random.pick(USER_TYPES),
    preferredLanguage: 'en-US',
    locale: random.pick(LOCALES),
    timezone: 'America/Los_Angeles',
    active: random.bool(0.9),
    emails: [
      { value: `${givenName.toLowerCase()}.${i}@${domain}`, type: 'work', primary: true },
      { value: `${givenName.toLowerCase()}${i}@home.example.net`, type: 'home' },
    ],
    phoneNumbers: [
      { value: `+1-555-${pad(random.int(10_000), 4)}`, type: 'work' },
      { value: `+1-555-${pad(random.int(10_000), 4)}`, type: 'mobile' },
    ],
    addresses: [
      {
        type: 'work',
        streetAddress: `${100 + random.int(9000)} Hollywood Blvd`,
        ...city,
        formatted: `${100 + random.int(9000)} Hollywood Blvd\n${city.locality}, ${city.region} ${city.postalCode} ${city.country}`,
        primary: true,
      },
    ],
    roles: [{ value: random.pick(['reader', 'writer', 'admin']), primary: true }],
    [ENTERPRISE_SCHEMA]: {
      employeeNumber: pad(i, 6),
      costCenter: `CC-${random.int(50)}`,
      organization: 'Universal Studios',
      division: random.pick(DIVISIONS),
      department: random.pick(DEPARTMENTS),
      manager: {
        value: userId(Math.max(0, i - 1 - random.int(10))),
        displayName: `${random.pick(GIVEN)} ${random.pick(FAMILY)}`,
      },
    },
    meta: {
      resourceType: 'User',
      created: created.toISOString(),
      lastModified: modified.toISOString(),
      location: `https://scim.example.com/v2/Users/${id}`,
      version: `W/"${random.int(1_000_000).toString(16)}"`,
    },
  };
}

/** The `count` users `0 … count-1`. */
export function generateUsers(count: number): Json[] {
  const users = new Array<Json>(count);
  for (let i = 0; i < count; i++) users[i] = generateUser(i);
  return users;
}

/** A user as a client POSTs it (no id, no meta). */
export function userToCreate(i: number): Json {
  const { id: _id, meta: _meta, ...rest } = generateUser(i);
  return rest;
}

/** A group with `memberCount` user members (`members[].value` = user ids 0 … memberCount-1). */
export function generateGroup(i: number, memberCount: number): Json {
  const members = new Array<Json>(memberCount);
  for (let m = 0; m < memberCount; m++) {
    const id = memberIdOf(m);
    members[m] = { value: id, $ref: `https://scim.example.com/v2/Users/${id}`, type: 'User' };
  }
  const id = groupId(i);
  return {
    schemas: [GROUP_SCHEMA],
    id,
    displayName: `Group ${i}`,
    members,
    meta: {
      resourceType: 'Group',
      created: '2024-01-01T00:00:00.000Z',
      lastModified: '2024-01-01T00:00:00.000Z',
      location: `https://scim.example.com/v2/Groups/${id}`,
      version: 'W/"1"',
    },
  };
}

/**
 * Member ids of big groups: cheap to make (a deterministic UUID costs ~32 PRNG draws, too slow
 * for 100k members generated per run), unique, and UUID-shaped.
 */
export const memberIdOf = (m: number): string =>
  `00000000-0000-4000-8000-${m.toString(16).padStart(12, '0')}`;
