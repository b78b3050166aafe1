/**
 * fast-check generators of Users, filters and sorts for the differential query tests: values
 * that stress escaping, case folding, LIKE wildcards, dateTime offsets and precision, and
 * multi-valued attributes.
 */
import type { AttributePath, ComparisonOperator, Filter, FilterValue, SortSpec } from '@scimkit/filter';
import type { ScimResource } from '@scimkit/schema';
import fc from 'fast-check';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Short texts of the characters that stress escaping, case folding and LIKE: wildcards, the
 * escape character, quotes, non-ASCII letters whose case folds, plain letters, and the letters
 * whose lower-casing depends on context or grows the text (final sigma, dotted capital I, a
 * titlecase digraph, a ligature), where a database must fold exactly as JavaScript.
 */
export const text = fc
  .array(
    fc.constantFrom(
      'a',
      'A',
      'b',
      'B',
      'é',
      'É',
      '%',
      '_',
      '\\',
      "'",
      '"',
      ' ',
      'ß',
      'K',
      'Σ',
      'ς',
      'İ',
      'ǅ',
      'ﬀ',
    ),
    { maxLength: 4 },
  )
  .map((chars) => chars.join(''));

const offsets = ['Z', '+00:00', '+05:30', '-02:00', '-11:00'];
/** dateTimes of 2020-01-01 to 03, in several offsets, with 0 to 9 fraction digits. */
export const dateTime = fc
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

/** 1 to 12 Users with generated attributes (`id<n>`, userName unique case-insensitively). */
export const dataset = fc
  .array(fc.tuple(text, userData, dateTime), { minLength: 1, maxLength: 12 })
  .map((rows) =>
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

/** Filters over the generated Users' attributes: comparisons, presence, value paths, and, or, not. */
export const filters = tree(
  fc.oneof({ weight: 4, arbitrary: leaf(topLeaves) }, { weight: 1, arbitrary: valuePath }),
  2,
);

/** An optional sort by one of the generated Users' attributes. */
export const sorts: fc.Arbitrary<SortSpec | undefined> = fc.option(
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
