import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type AttributePath,
  type ComparisonOperator,
  compileFilter,
  type Filter,
  type FilterValue,
  formatFilter,
  type SortSpec,
} from '@scimkit/filter';
import { isScimError, type ScimResource, userResourceType } from '@scimkit/schema';
import { queryInMemory, type StoreQuery } from '@scimkit/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// Characters that stress escaping, case folding and LIKE: wildcards, the escape character,
// quotes, non-ASCII letters whose case folds, and plain letters.
const text = fc
  .array(fc.constantFrom('a', 'A', 'b', 'B', 'é', 'É', '%', '_', '\\', "'", '"', ' ', 'ß', 'K'), {
    maxLength: 4,
  })
  .map((chars) => chars.join(''));

const offsets = ['Z', '+00:00', '+05:30', '-02:00', '-11:00'];
const dateTime = fc
  .tuple(
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2020, 0, 3) }),
    fc.constantFrom(...offsets),
    fc.constantFrom(0, 1, 3, 6, 9),
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(([ms, offset, digits, nanos]) => {
    const shift =
      offset === 'Z'
        ? 0
        : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    const local = new Date(ms + shift * 60_000).toISOString().slice(0, 19);
    // Up to nine fraction digits: the milliseconds, then sub-millisecond digits.
    const digitsText = String(ms % 1000).padStart(3, '0') + String(nanos).padStart(6, '0');
    const fraction = digits === 0 ? '' : `.${digitsText.slice(0, digits)}`;
    return `${local}${fraction}${offset}`;
  });

const email = fc.record(
  {
    value: text,
    type: fc.constantFrom('work', 'home', 'Work'),
    primary: fc.boolean(),
  },
  { requiredKeys: [] },
);

const userData = fc.record(
  {
    displayName: text,
    nickName: text,
    active: fc.boolean(),
    emails: fc.array(email, { maxLength: 3 }),
    name: fc.record({ givenName: text }, { requiredKeys: [] }),
    [ENTERPRISE]: fc.record({ employeeNumber: text }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const dataset = fc.array(fc.tuple(text, userData, dateTime), { minLength: 1, maxLength: 12 }).map((rows) =>
  rows.map(
    ([name, data, created], index): ScimResource => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: `id${index}`,
      // userName is unique case-insensitively: prefix with the index.
      userName: `${index}${name}`,
      ...data,
      meta: {
        resourceType: 'User',
        created,
        lastModified: created,
        location: `/Users/id${index}`,
        version: 'W/"1"',
      },
    }),
  ),
);

const attributePath = (attribute: string, subAttribute?: string, schema?: string): AttributePath => ({
  kind: 'AttributePath',
  attribute,
  ...(subAttribute ? { subAttribute } : {}),
  ...(schema ? { schema } : {}),
});

const operators = fc.constantFrom<ComparisonOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
const odd: fc.Arbitrary<FilterValue> = fc.constantFrom(null, 3, 'not a date', true, '2020-01-01');
/** Values of the attribute's type most of the time, sometimes of another (the fallback's job). */
const typed = (value: fc.Arbitrary<FilterValue>) =>
  fc.oneof({ weight: 12, arbitrary: value }, { weight: 1, arbitrary: odd });
const booleanOperators = fc.constantFrom<ComparisonOperator>('eq', 'ne', 'eq', 'ne', 'gt', 'co');

/** A path, its values, its operators and how often it is drawn. */
type LeafSpec = [AttributePath, fc.Arbitrary<FilterValue>, fc.Arbitrary<ComparisonOperator>, number?];
const topLeaves: LeafSpec[] = [
  [attributePath('userName'), typed(text), operators],
  [attributePath('USERNAME'), typed(text), operators],
  [attributePath('displayName'), typed(text), operators],
  [attributePath('nickName'), typed(text), operators],
  [attributePath('active'), typed(fc.boolean()), booleanOperators],
  [attributePath('emails'), typed(text), operators],
  [attributePath('emails', 'value'), typed(text), operators],
  [attributePath('emails', 'type'), typed(fc.constantFrom('work', 'WORK', 'home', 'wo')), operators],
  [attributePath('emails', 'primary'), typed(fc.boolean()), booleanOperators],
  [attributePath('name', 'givenName'), typed(text), operators],
  [attributePath('name'), typed(text), operators, 1],
  [attributePath('meta', 'created'), typed(dateTime), operators],
  [attributePath('employeeNumber', undefined, ENTERPRISE), typed(text), operators],
  [attributePath('id'), typed(fc.constantFrom('id1', 'ID1', 'id')), operators],
  [attributePath('unknownThing'), text, operators, 1],
];
const innerLeaves: LeafSpec[] = [
  [attributePath('type'), typed(fc.constantFrom('work', 'WORK', 'home', 'wo')), operators],
  [attributePath('value'), typed(text), operators],
  [attributePath('primary'), typed(fc.boolean()), booleanOperators],
];

function leaf(specs: LeafSpec[]): fc.Arbitrary<Filter> {
  return fc.oneof(
    ...specs.map(([path, value, operator, weight = 6]) => ({
      weight,
      arbitrary: fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('Comparison' as const),
            path: fc.constant(path),
            operator,
            value,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant('Present' as const), path: fc.constant(path) }),
        },
      ),
    })),
  );
}

function tree(base: fc.Arbitrary<Filter>, depth: number): fc.Arbitrary<Filter> {
  if (depth === 0) return base;
  const sub = tree(base, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: base },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('And' as const), left: sub, right: sub }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('Or' as const), left: sub, right: sub }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('Not' as const), filter: sub }) },
  );
}

const valuePath: fc.Arbitrary<Filter> = fc.record({
  kind: fc.constant('ValuePath' as const),
  path: fc.constant(attributePath('emails')),
  filter: tree(leaf(innerLeaves), 2),
});

const filters = tree(
  fc.oneof({ weight: 4, arbitrary: leaf(topLeaves) }, { weight: 1, arbitrary: valuePath }),
  2,
);

const sorts: fc.Arbitrary<SortSpec | undefined> = fc.option(
  fc.record({
    path: fc.constantFrom(
      attributePath('userName'),
      attributePath('displayName'),
      attributePath('nickName'),
      attributePath('active'),
      attributePath('emails'),
      attributePath('emails', 'type'),
      attributePath('meta', 'created'),
    ),
    order: fc.constantFrom('ascending' as const, 'descending' as const),
  }),
  { nil: undefined },
);

type Outcome = { ids: string[]; total: number } | { error: number };

async function outcome(
  run: () => Promise<{ resources: ScimResource[]; totalResults: number }>,
): Promise<Outcome> {
  try {
    const result = await run();
    return { ids: result.resources.map((r) => r.id), total: result.totalResults };
  } catch (error) {
    if (isScimError(error)) return { error: error.status };
    throw error;
  }
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-differential-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const compileOptions = {
  schemas: [userResourceType.schema, ...userResourceType.extensions.map((extension) => extension.schema)],
  resourceSchema: userResourceType.schema.id,
};

describe('createSqliteStore query (differential)', () => {
  it('selects exactly the resources compileFilter selects, pushing most filters down to SQL', async () => {
    let run = 0;
    let pushedDown = 0;
    let fellBack = 0;
    await fc.assert(
      fc.asyncProperty(
        dataset,
        fc.array(filters, { minLength: 1, maxLength: 8 }),
        async (resources, queries) => {
          run += 1;
          let lastStatement = '';
          const store = createSqliteStore({
            filename: path.join(dir, `filter-${run}.db`),
            onQuery: ({ sql }) => {
              lastStatement = sql;
            },
          });
          try {
            for (const resource of resources) await store.create(userResourceType, resource, { context: {} });
            const stored: ScimResource[] = [];
            for (const resource of resources)
              stored.push((await store.get(userResourceType, resource.id, { context: {} }))!);
            for (const filter of queries) {
              const expected = await outcome(async () => {
                const matches = compileFilter(filter, compileOptions);
                const found = stored.filter((resource) => matches(resource));
                return { resources: found, totalResults: found.length };
              });
              lastStatement = '';
              const actual = await outcome(() =>
                store.query(
                  userResourceType,
                  { filter, page: { kind: 'index', startIndex: 1, count: 100 } },
                  { context: {} },
                ),
              );
              // The in-memory fallback streams rows without LIMIT; a pushed-down page has one.
              if (lastStatement.includes(' LIMIT ')) pushedDown += 1;
              else if (lastStatement !== '') fellBack += 1;
              expect(actual, formatFilter(filter)).toEqual(expected);
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 100 },
    );
    // The comparison must exercise the SQL translation, not only the fallback.
    expect(pushedDown).toBeGreaterThan(fellBack * 3);
  });

  it('sorts and pages (index and cursor) exactly as queryInMemory does', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        dataset,
        fc.array(fc.tuple(sorts, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (resources, queries) => {
          run += 1;
          const store = createSqliteStore({ filename: path.join(dir, `sort-${run}.db`) });
          try {
            for (const resource of resources) await store.create(userResourceType, resource, { context: {} });
            const stored: ScimResource[] = [];
            for (const resource of resources)
              stored.push((await store.get(userResourceType, resource.id, { context: {} }))!);
            for (const [sort, startIndex, count] of queries) {
              const query: StoreQuery = {
                ...(sort ? { sort } : {}),
                page: { kind: 'index', startIndex, count },
              };
              const expected = queryInMemory(stored, query, { resourceType: userResourceType });
              const actual = await store.query(userResourceType, query, { context: {} });
              expect(
                actual.resources.map((r) => r.id),
                JSON.stringify(query),
              ).toEqual(expected.resources.map((r) => r.id));
              expect(actual.totalResults).toBe(expected.totalResults);
              // Walking every cursor page gives the whole sorted list once.
              const all = queryInMemory(
                stored,
                { ...query, page: { kind: 'index', startIndex: 1, count: 1000 } },
                {
                  resourceType: userResourceType,
                },
              );
              const walked: string[] = [];
              let cursor: string | undefined = '';
              while (cursor !== undefined && count > 0) {
                const page: Awaited<ReturnType<typeof store.query>> = await store.query(
                  userResourceType,
                  { ...query, page: { kind: 'cursor', cursor, count } },
                  { context: {} },
                );
                walked.push(...page.resources.map((r) => r.id));
                cursor = page.nextCursor;
              }
              if (count > 0) expect(walked).toEqual(all.resources.map((r) => r.id));
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
