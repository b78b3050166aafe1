/**
 * Filters. Each check sends filters over the population (three users of this run) and
 * compares the ids found with what `@scimkit/filter`'s evaluator finds on the same users
 * under the schemas the server declares (so `caseExact` is honoured as declared).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
import { compileFilter, type FilterSchemaDefinition } from '@scimkit/filter';
import type { User } from '@scimkit/schema';
import { SEARCH_REQUEST_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, type CheckDefinition, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { ensure, expectIds, expectScimError, idsOf, listOf, readList, record, show } from '../expect.js';
import { expectPopulation, type Population, population, team } from '../fixtures.js';

const SECTION = rfc7644('3.4.2.2');

/** A JSON string literal for a filter. */
const q = (value: string): string => JSON.stringify(value);

/** One filter check: the filters it sends and who should match. */
export interface FilterCase {
  id: string;
  title: string;
  why: string;
  rfc?: string;
  idps?: CheckDefinition['idps'];
  level?: CheckDefinition['level'];
  /**
   * Filters; each is sent alone, `scoped` ones after `userName sw "<scope>" and ` (so a filter
   * with a top-level `or` brings its own parentheses).
   */
  filters(population: Population): string[];
  /** Whether to confine the filters to the population. @defaultValue true */
  scoped?: boolean;
  /** Who should match, when the RFC fixes it whatever the server declares. */
  expected?(population: Population): User[];
}

/** An instant `ms` written with a UTC offset of `minutes` (`2026-11-29T00:00:00+14:00`). */
export function atOffset(ms: number, minutes: number): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  return `${local}${sign}${hours}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
}

function createdMs(user: User): number {
  return Date.parse(String(user.meta?.created));
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const FILTER_CASES: readonly FilterCase[] = [
  {
    id: 'filter.eq',
    title: 'userName eq "<value>" finds the user',
    idps: ['entra-id', 'okta'],
    why: 'Both IdPs look users up by userName before they create them.',
    scoped: false,
    filters: ({ alice }) => [`userName eq ${q(alice.userName)}`],
  },
  {
    id: 'filter.username-case-insensitive',
    title: 'userName eq matches in any case (caseExact false)',
    rfc: rfc7643('4.1.1'),
    idps: ['okta'],
    why: 'userName is case-insensitive; Okta looks users up in the case of its own profile, and a miss makes it create a duplicate.',
    scoped: false,
    filters: ({ bob }) => [
      `userName eq ${q(bob.userName.toUpperCase())}`,
      `userName eq ${q(bob.userName.toLowerCase())}`,
    ],
    expected: ({ bob }) => [bob],
  },
  {
    id: 'filter.case-exact-as-declared',
    title: 'externalId compares as its declared caseExact says',
    rfc: rfc7643('3.1'),
    why: "String comparisons honour the attribute's caseExact; externalId is caseExact true in RFC 7643, so another case is another value (unless the server declares otherwise).",
    scoped: false,
    filters: ({ alice }) => [`externalId eq ${q(String(alice.externalId).toUpperCase())}`],
  },
  {
    id: 'filter.external-id',
    title: 'externalId eq "<value>" finds the user',
    rfc: rfc7643('3.1'),
    idps: ['entra-id'],
    why: 'Entra ID matches users by externalId (its object id) when it reconciles.',
    scoped: false,
    filters: ({ bob }) => [`externalId eq ${q(String(bob.externalId))}`],
  },
  {
    id: 'filter.names-case-insensitive',
    title: 'attribute names and operators match in any case (USERNAME Eq)',
    why: 'Attribute names and attribute operators used in filters are case-insensitive.',
    scoped: false,
    filters: ({ alice }) => [`USERNAME Eq ${q(alice.userName)}`],
  },
  {
    id: 'filter.co',
    title: 'co finds substrings',
    why: 'co matches when the value is contained in the attribute.',
    filters: () => ['displayName co "aro"'],
  },
  {
    id: 'filter.sw',
    title: 'sw finds prefixes',
    why: 'sw matches when the attribute starts with the value.',
    scoped: false,
    filters: ({ scope }) => [`userName sw ${q(scope)}`],
  },
  {
    id: 'filter.ew',
    title: 'ew finds suffixes',
    why: 'ew matches when the attribute ends with the value.',
    filters: () => ['displayName ew "en"'],
  },
  {
    id: 'filter.ne',
    title: 'ne leaves out the value',
    why: 'ne matches when the attribute does not equal the value.',
    filters: () => ['displayName ne "Bob Brown"'],
  },
  {
    id: 'filter.pr',
    title: 'pr finds users that have the attribute',
    why: 'pr matches when the attribute has a non-empty value.',
    filters: () => ['title pr'],
  },
  {
    id: 'filter.string-ordering',
    title: 'gt, ge and lt order strings',
    why: 'For string attributes the ordering operators compare lexicographically.',
    filters: () => ['displayName gt "Bob Brown"', 'displayName ge "Bob Brown"', 'displayName lt "Bob Brown"'],
  },
  {
    id: 'filter.boolean',
    title: 'active eq false compares booleans',
    idps: ['entra-id', 'okta'],
    why: 'Boolean attributes compare with true and false; reconciliation looks for inactive users.',
    filters: () => ['active eq false'],
  },
  {
    id: 'filter.date-time',
    title: 'gt and lt compare meta.created',
    why: 'dateTime attributes support the ordering operators.',
    filters: ({ alice }) => {
      const created = createdMs(alice);
      const iso = (ms: number) => new Date(ms).toISOString();
      return [
        `meta.created gt ${q(iso(created - DAY))}`,
        `meta.created gt ${q(iso(created + DAY))}`,
        `meta.created lt ${q(iso(created + DAY))}`,
      ];
    },
  },
  {
    id: 'filter.date-time-chronological',
    title: 'dateTimes compare as instants, whatever the UTC offset they are written with',
    why: 'For dateTime attributes the comparison is chronological, not lexicographical: "…T00:00:00+14:00" is earlier than "…T11:00:00Z" of the day before.',
    filters: ({ alice }) => {
      const created = createdMs(alice);
      return [
        `meta.created gt ${q(atOffset(created - HOUR, 14 * 60))}`,
        `meta.created lt ${q(atOffset(created + HOUR, -12 * 60))}`,
      ];
    },
  },
  {
    id: 'filter.and-or',
    title: 'and / or combine conditions',
    why: 'Logical and and or combine expressions.',
    filters: () => ['(displayName eq "Alice Andersen" or displayName eq "Bob Brown")'],
  },
  {
    id: 'filter.precedence',
    title: 'and binds tighter than or',
    why: 'The operator precedence is and before or: "a or b and c" is "a or (b and c)".',
    scoped: false,
    filters: ({ alice, carol }) => [
      `userName eq ${q(carol.userName)} or userName eq ${q(alice.userName)} and active eq false`,
    ],
  },
  {
    id: 'filter.not',
    title: 'not (…) negates',
    why: 'not negates the expression in parentheses.',
    filters: () => ['not (active eq true)'],
  },
  {
    id: 'filter.value-path',
    title: 'emails[type eq "work" and value ew "…"] holds within one value',
    why: 'A value path filters the values of a multi-valued attribute: both conditions must hold for the same email.',
    filters: () => ['emails[type eq "work" and value ew "@home.example.com"]'],
  },
  {
    id: 'filter.sub-attribute',
    title: 'name.familyName eq compares a sub-attribute',
    why: 'Sub-attributes of complex attributes are addressed with a dot.',
    filters: () => ['name.familyName eq "Chen"'],
  },
  {
    id: 'filter.multi-valued',
    title: 'emails.value eq matches any of the emails, not only the primary',
    why: 'A filter on a multi-valued attribute matches if any of its values matches.',
    scoped: false,
    filters: ({ scope }) => [`emails.value eq ${q(`${scope}alice@home.example.com`)}`],
  },
  {
    id: 'filter.value-path-attribute',
    title: 'emails[type eq "work"].value eq "…" (as Entra ID sends it) works',
    idps: ['entra-id'],
    why: 'Entra ID looks users up by an attribute after a value path; outside the RFC grammar, but Entra relies on it.',
    scoped: false,
    filters: ({ scope }) => [`emails[type eq "work"].value eq ${q(`${scope}bob@home.example.com`)}`],
  },
];

/**
 * The filters a case sends and who should match each: the case's fixed expectation, or what
 * `compileFilter` finds in the population under `schemas` (the server's declarations).
 */
export function filterExpectations(
  item: FilterCase,
  people: Population,
  schemas: readonly FilterSchemaDefinition[],
): { text: string; expected: User[] }[] {
  return item.filters(people).map((filter) => {
    const text = item.scoped === false ? filter : `userName sw ${q(people.scope)} and ${filter}`;
    const matches = compileFilter(text, { schemas, lenient: true });
    return {
      text,
      expected: item.expected ? item.expected(people) : people.all.filter((user) => matches(user)),
    };
  });
}

/** Runs one filter and compares the ids found with the reference evaluation. */
async function expectFilter(
  context: CheckContext,
  text: string,
  population: Population,
  expected: readonly User[],
): Promise<void> {
  const answer = await context.send({ method: 'GET', path: '/Users', query: { filter: text } });
  const found = idsOf(listOf(answer).resources);
  expectIds(
    answer,
    found,
    expected.map((user) => user.id),
    population.names,
  );
}

function filterCheck(item: FilterCase): CheckDefinition {
  return defineCheck({
    id: item.id,
    group: 'filter',
    title: item.title,
    rfc: item.rfc ?? SECTION,
    why: item.why,
    idps: item.idps ?? [],
    level: item.level ?? 'required',
    requires: ['filter'],
    async run(context) {
      const people = await context.fixture(population);
      for (const { text, expected } of filterExpectations(item, people, context.filterSchemas('User'))) {
        await expectFilter(context, text, people, expected);
      }
    },
  });
}

export const filterChecks: CheckDefinition[] = [
  ...FILTER_CASES.map(filterCheck),
  defineCheck({
    id: 'filter.no-match',
    group: 'filter',
    title: 'a filter matching nothing answers 200 with no resources (Entra ID test connection)',
    rfc: rfc7644('3.4.2'),
    idps: ['entra-id'],
    requires: ['filter'],
    writes: false,
    why: 'A query without matches SHALL answer 200 with totalResults 0; Entra ID\'s "test connection" looks up a random userName and fails on anything else.',
    async run(context) {
      const answer = await context.send({
        method: 'GET',
        path: '/Users',
        query: { filter: `userName eq ${q(crypto.randomUUID())}` },
      });
      const list = listOf(answer);
      ensure(list.resources.length === 0, `it found ${list.resources.length} resources`, {
        expected: 'no resources',
        answer,
      });
      if (list.totalResults !== undefined) {
        ensure(list.totalResults === 0, `totalResults is ${list.totalResults}`, {
          expected: '"totalResults": 0',
          answer,
        });
      }
    },
  }),
  defineCheck({
    id: 'filter.invalid',
    group: 'filter',
    title: 'a malformed filter answers 400 invalidFilter',
    rfc: rfc7644('3.12'),
    requires: ['filter'],
    writes: false,
    why: 'A filter that does not follow the grammar is a client error: 400 with scimType "invalidFilter", never a 500 or an unfiltered list.',
    async run(context) {
      for (const filter of [
        'userName eq',
        'userName zz "x"',
        '(userName eq "x"',
        'userName eq "unterminated',
      ]) {
        expectScimError(
          await context.send({ method: 'GET', path: '/Users', query: { filter } }),
          400,
          'invalidFilter',
        );
      }
    },
  }),
  defineCheck({
    id: 'filter.boolean-ordering',
    group: 'filter',
    title: 'gt on a boolean answers 400 invalidFilter',
    rfc: SECTION,
    requires: ['filter'],
    writes: false,
    why: 'Booleans have no order: gt, ge, lt and le on a boolean attribute SHALL fail with 400 and scimType "invalidFilter", not match arbitrarily.',
    async run(context) {
      expectScimError(
        await context.send({ method: 'GET', path: '/Users', query: { filter: 'active gt true' } }),
        400,
        'invalidFilter',
      );
    },
  }),
  defineCheck({
    id: 'filter.search',
    group: 'filter',
    title: 'POST /Users/.search filters like GET',
    level: 'advisory',
    rfc: rfc7644('3.4.3'),
    requires: ['filter'],
    why: 'Clients may query with POST and a SearchRequest body to keep filters out of URLs and logs.',
    async run(context) {
      const people = await context.fixture(population);
      const answer = await context.send({
        method: 'POST',
        path: '/Users/.search',
        body: {
          schemas: [SEARCH_REQUEST_SCHEMA],
          filter: `userName sw ${q(people.scope)}`,
          startIndex: 1,
          count: 10,
        },
      });
      expectPopulation(answer, idsOf(listOf(answer).resources), people);
    },
  }),
  defineCheck({
    id: 'filter.groups-display-name',
    group: 'filter',
    title: 'Groups filter on displayName with excludedAttributes=members',
    rfc: SECTION,
    idps: ['entra-id'],
    requires: ['filter', 'groups'],
    why: 'Entra ID looks groups up with displayName eq "…" and excludedAttributes=members before it creates them.',
    async run(context) {
      const group = await context.fixture(team);
      const answer = await context.send({
        method: 'GET',
        path: '/Groups',
        query: { filter: `displayName eq ${q(group.displayName)}`, excludedAttributes: 'members' },
      });
      const list = readList(answer);
      expectIds(answer, idsOf(listOf(answer).resources), [group.id]);
      const found = record(list.resources[0]);
      ensure(found?.members === undefined, `members came back: ${show(found?.members)}`, {
        expected: 'no members (excludedAttributes=members)',
        answer,
      });
    },
  }),
];
