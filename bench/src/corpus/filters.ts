import { rfcFilters } from '@scimkit/test-utils';
import { createRandom, type Random } from './prng.js';
import { ENTERPRISE_SCHEMA, userId, userNameOf } from './users.js';

/** One corpus filter and where it comes from. */
export interface CorpusFilter {
  /** rfc | entra | okta | app | generated */
  source: 'rfc' | 'entra' | 'okta' | 'app' | 'generated';
  text: string;
}

/** The filter examples of RFC 7644 section 3.4.2.2 (and the value-path examples of 3.5.2), verbatim. */
export const RFC_FILTERS: readonly string[] = [
  ...rfcFilters,
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
  'addresses[type eq "work"]',
  'emails[type eq "work"]',
  'displayName eq "Tour Guides"',
  'id eq "2819c223-7f76-453a-919d-413861904646"',
  'meta.resourceType eq "User"',
  'externalId eq "701984"',
];

const hexGuid = (random: Random): string => {
  const h = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += random.int(16).toString(16);
    return s;
  };
  return `${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}`;
};

const GROUPS = ['Sales Team', 'All Employees', 'Contoso Admins', 'Tour Guides', 'Engineering - Platform'];

/** What Microsoft Entra ID sends while provisioning (see docs/idp-compatibility.md). */
function entraFilters(random: Random, count: number): string[] {
  const out: string[] = [];
  const makers: ((i: number) => string)[] = [
    () => `userName eq "${hexGuid(random)}"`, // test connection
    (i) => `userName eq "${userNameOf(i)}"`,
    (i) => `externalId eq "ext-${String(i).padStart(7, '0')}"`,
    () => `displayName eq "${random.pick(GROUPS)}"`,
    (i) => `id eq "${userId(i + 1)}" and members[value eq "${userId(i)}"]`,
    (i) => `emails[type eq "work"].value eq "barbara.${i}@example.com"`,
    (i) => `${ENTERPRISE_SCHEMA}:employeeNumber eq "${String(i).padStart(6, '0')}"`,
    () => `externalId eq "${hexGuid(random)}"`,
  ];
  for (let i = 0; i < count; i++) out.push(makers[i % makers.length]!(random.int(100_000)));
  return out;
}

/** What Okta sends (lookups with startIndex/count, group push). */
function oktaFilters(random: Random, count: number): string[] {
  const out: string[] = [];
  const makers: ((i: number) => string)[] = [
    (i) => `userName eq "${userNameOf(i)}"`,
    (i) => `userName eq "USER${i}@EXAMPLE.COM"`,
    () => `displayName eq "${random.pick(GROUPS)}"`,
    (i) => `userName sw "user${i}"`,
    (i) => `emails.value eq "barbara.${i}@example.com"`,
    (i) => `id eq "${userId(i)}"`,
  ];
  for (let i = 0; i < count; i++) out.push(makers[i % makers.length]!(random.int(100_000)));
  return out;
}

/** Queries an admin UI or an app would make. */
const APP_FILTERS: readonly string[] = [
  'active eq true',
  'active eq false and meta.lastModified lt "2023-01-01T00:00:00Z"',
  'name.givenName sw "Ba" and name.familyName ew "sen"',
  'not (userType eq "Contractor")',
  'userType eq "Contractor" or userType eq "Intern"',
  `${ENTERPRISE_SCHEMA}:department eq "Sales"`,
  `${ENTERPRISE_SCHEMA}:manager.value eq "${'26118915-6090-4610-87e4-49d8ca9f808d'}"`,
  `${ENTERPRISE_SCHEMA}:department eq "Sales" and ${ENTERPRISE_SCHEMA}:division eq "EMEA"`,
  'emails[type eq "work" and primary eq true]',
  'phoneNumbers[type eq "mobile" and value sw "+1-555"]',
  'addresses[type eq "work" and country eq "FR"]',
  'addresses[country eq "DE" or country eq "FR"] and active eq true',
  'title co "Engineer" and not (title sw "Senior")',
  'displayName co "Jensen" or nickName eq "Bab"',
  'meta.created ge "2021-01-01T00:00:00Z" and meta.created lt "2022-01-01T00:00:00Z"',
  'meta.lastModified gt "2024-06-01T00:00:00.000Z"',
  'locale eq "fr-FR" and preferredLanguage pr',
  'roles[value eq "admin"] and active eq true',
  'userName ew "@example.com" and not (emails[type eq "home"])',
  'name.formatted co "Smith" and (title eq "Manager" or title eq "Director")',
  'nickName pr and not (nickName eq "")',
  'USERNAME EQ "bjensen"',
  'userName Eq "bjensen" AND active EQ true',
  'emails co "contoso.com"',
  'emails.value ew ".org"',
  'timezone eq "America/Los_Angeles" and locale ne "en-US"',
  'externalId pr and not (externalId sw "ext-")',
  'userName eq "quote\\"inside" or displayName eq "back\\\\slash"',
  'displayName eq "Chlo\\u00e9 M\\u00fcller"',
  'costCenter eq "CC-7" or employeeNumber eq "000042"',
  'members[type eq "Group"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646" or value eq "902c246b-6245-4190-8e05-00816be7344a"]',
  'displayName sw "Eng" and members pr',
  'meta.version eq "W/\\"3694e05e9dff590\\""',
  'x509Certificates pr',
  'ims[type eq "xmpp"] or photos[type eq "photo"]',
  'name.middleName pr or name.honorificPrefix eq "Dr."',
  'active eq true and (userType eq "Employee" and (title pr and (emails[type eq "work"])))',
  'not (active eq false) and not (userType eq "Intern")',
  'userName gt "user5" and userName le "user6"',
];

const ATTRS = [
  'userName',
  'displayName',
  'title',
  'userType',
  'name.givenName',
  'name.familyName',
  'nickName',
  'externalId',
  'locale',
  `${ENTERPRISE_SCHEMA}:department`,
  'emails.value',
  'meta.lastModified',
];
const OPS = ['eq', 'ne', 'co', 'sw', 'ew'];
const WORDS = [
  'Sales',
  'Jensen',
  'bjensen',
  'Engineer',
  'Employee',
  'fr-FR',
  'contoso',
  'ext-00',
  'Ba',
  'sen',
];

function clause(random: Random): string {
  const roll = random.int(10);
  if (roll === 0) return `${random.pick(['title', 'nickName', 'externalId', 'name.middleName'])} pr`;
  if (roll === 1) return `active eq ${random.bool() ? 'true' : 'false'}`;
  if (roll === 2)
    return `meta.lastModified ${random.pick(['gt', 'ge', 'lt', 'le'])} "202${random.int(5)}-0${1 + random.int(9)}-1${random.int(10)}T00:00:00Z"`;
  if (roll === 3) {
    return `emails[type eq "${random.pick(['work', 'home'])}" and value ${random.pick(['co', 'ew'])} "${random.pick(['@example.com', '.org', 'contoso'])}"]`;
  }
  if (roll === 4) return `addresses[country eq "${random.pick(['US', 'FR', 'DE', 'JP'])}"]`;
  return `${random.pick(ATTRS)} ${random.pick(OPS)} "${random.pick(WORDS)}${random.int(100)}"`;
}

function expression(random: Random, clauses: number, depth: number): string {
  if (clauses <= 1 || depth > 3) return clause(random);
  const left = 1 + random.int(clauses - 1);
  const op = random.bool(0.6) ? 'and' : 'or';
  let l = expression(random, left, depth + 1);
  let r = expression(random, clauses - left, depth + 1);
  if (random.bool(0.3)) l = `(${l})`;
  if (random.bool(0.15)) r = `not (${r})`;
  else if (random.bool(0.3)) r = `(${r})`;
  return `${l} ${op} ${r}`;
}

/** Long generated filters: 5 to 40 clauses of and/or/not, groups and value paths. */
function generatedFilters(random: Random, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(expression(random, 5 + random.int(36), 0));
  return out;
}

/** The parse corpus: 24 RFC + 56 Entra + 42 Okta + 40 app + 60 generated = 222 filters. */
export function filterCorpus(): CorpusFilter[] {
  const random = createRandom(20261128);
  return [
    ...RFC_FILTERS.map((text) => ({ source: 'rfc' as const, text })),
    ...entraFilters(random, 56).map((text) => ({ source: 'entra' as const, text })),
    ...oktaFilters(random, 42).map((text) => ({ source: 'okta' as const, text })),
    ...APP_FILTERS.map((text) => ({ source: 'app' as const, text })),
    ...generatedFilters(random, 60).map((text) => ({ source: 'generated' as const, text })),
  ];
}

/**
 * Filters for the evaluation suite, each with the hand-written predicate a developer would write
 * for it (the floor). The predicates follow SCIM semantics on the generated users: userName is
 * case-insensitive (caseExact false), multi-valued attributes match if any value matches.
 */
export interface EvalCase {
  name: string;
  text: string;
  predicate: (user: Record<string, unknown>) => boolean;
}

type U = {
  userName: string;
  active: boolean;
  title?: string;
  userType?: string;
  name: { givenName: string; familyName: string };
  emails: { type: string; value: string }[];
  meta: { lastModified: string };
  [ENTERPRISE_SCHEMA]: { department: string; division: string };
};

const asU = (user: Record<string, unknown>): U => user as unknown as U;

const JUNE_2023 = Date.parse('2023-06-01T00:00:00Z');

/** The evaluation filters (the same text is given to every library). */
export const EVAL_CASES: readonly EvalCase[] = [
  {
    name: 'userName eq (Okta lookup)',
    text: 'userName eq "user543@example.com"',
    predicate: (u) => asU(u).userName.toLowerCase() === 'user543@example.com',
  },
  {
    name: 'userName eq in other case (caseExact false)',
    text: 'userName eq "USER543@Example.COM"',
    predicate: (u) => asU(u).userName.toLowerCase() === 'user543@example.com',
  },
  {
    name: 'and of two eq',
    text: 'userType eq "Employee" and active eq true',
    predicate: (u) => asU(u).userType?.toLowerCase() === 'employee' && asU(u).active === true,
  },
  {
    name: 'value path with co',
    text: 'emails[type eq "work" and value co "@contoso.com"]',
    predicate: (u) =>
      asU(u).emails.some(
        (e) => e.type.toLowerCase() === 'work' && e.value.toLowerCase().includes('@contoso.com'),
      ),
  },
  {
    name: 'sw or ew on sub-attributes',
    text: 'name.familyName sw "Jen" or name.givenName ew "ara"',
    predicate: (u) =>
      asU(u).name.familyName.toLowerCase().startsWith('jen') ||
      asU(u).name.givenName.toLowerCase().endsWith('ara'),
  },
  {
    name: 'not + pr',
    text: 'title pr and not (userType eq "Contractor")',
    predicate: (u) => {
      const user = asU(u);
      return user.title !== undefined && user.title !== '' && user.userType?.toLowerCase() !== 'contractor';
    },
  },
  {
    name: 'dateTime gt',
    text: 'meta.lastModified gt "2023-06-01T00:00:00Z"',
    predicate: (u) => Date.parse(asU(u).meta.lastModified) > JUNE_2023,
  },
  {
    name: 'enterprise extension eq',
    text: `${ENTERPRISE_SCHEMA}:department eq "Sales"`,
    predicate: (u) => asU(u)[ENTERPRISE_SCHEMA].department.toLowerCase() === 'sales',
  },
];
