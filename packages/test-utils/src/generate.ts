const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const GIVEN = [
  'Barbara',
  'Mandy',
  'John',
  'Aiko',
  'Oluwaseun',
  'Zoë',
  'Mateo',
  'Priya',
  'Lars',
  'Fatima',
  'Chen',
  'Olga',
];
const FAMILY = [
  'Jensen',
  'Pepperidge',
  'Smith',
  'Tanaka',
  'Adeyemi',
  'Müller',
  'García',
  'Sharma',
  'Nilsen',
  'Haddad',
  'Wei',
  "O'Brien",
];
const DEPARTMENTS = ['Tour Operations', 'Engineering', 'Finance', 'Sales', 'Support', 'Legal'];
const TITLES = ['Tour Guide', 'Engineer', 'Analyst', 'Account Executive', 'Support Specialist', 'Counsel'];
const LOCALES = ['en-US', 'de-DE', 'ja-JP', 'fr-FR', 'es-ES', 'en-GB'];
const ZONES = [
  'America/Los_Angeles',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/London',
];

/** A User as a provisioning client would create it (no `id`, no `meta`). */
export interface GeneratedUser {
  /** Core User URN, plus the Enterprise User URN on every third user. */
  schemas: string[];
  /** The client's id, `ext-<i>`. */
  externalId: string;
  /** `given.family<i>@example.com`, lower-case. */
  userName: string;
  /** Given and family name. */
  name: { givenName: string; familyName: string; formatted: string };
  /** Given and family name. */
  displayName: string;
  /** A job title. */
  title: string;
  /** A locale such as `en-US`. */
  locale: string;
  /** An Olson time zone. */
  timezone: string;
  /** False for every seventh user. */
  active: boolean;
  /** A primary work email and a home email. */
  emails: { value: string; type: string; primary?: boolean }[];
  /** A work phone number. */
  phoneNumbers: { value: string; type: string }[];
  /** The Enterprise User extension, on every third user. */
  [ENTERPRISE]?: { employeeNumber: string; department: string; costCenter: string };
}

/**
 * A realistic, deterministic User for tests and benchmarks: the same `i` gives the same user,
 * different `i` give different `userName`s and `externalId`s.
 */
export function generateUser(i: number): GeneratedUser {
  const given = GIVEN[i % GIVEN.length] ?? 'Alex';
  const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length] ?? 'Doe';
  const slug = `${given}.${family}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  const userName = `${slug}${i}@example.com`;
  const enterprise = i % 3 === 0;
  const user: GeneratedUser = {
    schemas: enterprise ? [USER, ENTERPRISE] : [USER],
    externalId: `ext-${i}`,
    userName,
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    displayName: `${given} ${family}`,
    title: TITLES[i % TITLES.length] ?? 'Engineer',
    locale: LOCALES[i % LOCALES.length] ?? 'en-US',
    timezone: ZONES[i % ZONES.length] ?? 'UTC',
    active: i % 7 !== 0,
    emails: [
      { value: userName, type: 'work', primary: true },
      { value: `${slug}.${i}@home.example.org`, type: 'home' },
    ],
    phoneNumbers: [{ value: `+1-555-${String(1000 + (i % 9000)).padStart(4, '0')}`, type: 'work' }],
  };
  if (enterprise) {
    user[ENTERPRISE] = {
      employeeNumber: String(100000 + i),
      department: DEPARTMENTS[i % DEPARTMENTS.length] ?? 'Engineering',
      costCenter: String(4000 + (i % 50)),
    };
  }
  return user;
}

/** A Group as a provisioning client would create it. */
export interface GeneratedGroup {
  /** The core Group URN. */
  schemas: string[];
  /** The client's id, `group-ext-<i>`. */
  externalId: string;
  /** `Group <i>`. */
  displayName: string;
  /** The given member ids as `{ value }`. */
  members: { value: string }[];
}

/** A deterministic Group with the given member ids. */
export function generateGroup(i: number, memberIds: readonly string[] = []): GeneratedGroup {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    externalId: `group-ext-${i}`,
    displayName: `Group ${i}`,
    members: memberIds.map((value) => ({ value })),
  };
}
