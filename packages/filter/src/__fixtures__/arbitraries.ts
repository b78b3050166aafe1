import fc from 'fast-check';
import type { AttributePath, ComparisonOperator, Filter, FilterValue } from '../ast.js';

const nameChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_$'.split('');

/** An ATTRNAME: a letter or `$`, then name characters. */
export const attributeName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$'.split('')),
    fc.array(fc.constantFrom(...nameChars), { maxLength: 8 }),
  )
  .map(([first, rest]) => first + rest.join(''));

const schema = fc.constantFrom(
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:acme:scim:ext:2.0:Device',
);

/** An attribute path, with or without URN and sub-attribute. */
export function attributePathArbitrary(relative = false): fc.Arbitrary<AttributePath> {
  return fc
    .record({
      schema: relative ? fc.constant(undefined) : fc.option(schema, { nil: undefined }),
      attribute: attributeName,
      subAttribute: fc.option(attributeName, { nil: undefined }),
    })
    .map(({ schema, attribute, subAttribute }) => ({
      kind: 'AttributePath' as const,
      ...(schema === undefined ? {} : { schema }),
      attribute,
      ...(subAttribute === undefined ? {} : { subAttribute }),
    }));
}

/** A JSON filter value (finite numbers only). */
export const filterValue: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

const operator = fc.constantFrom<ComparisonOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function filterArbitrary(relative: boolean): fc.Arbitrary<Filter> {
  const { filter } = fc.letrec<{ filter: Filter; leaf: Filter }>((tie) => ({
    leaf: fc.oneof(
      fc.record({
        kind: fc.constant('Comparison' as const),
        path: attributePathArbitrary(relative),
        operator,
        value: filterValue,
      }),
      fc.record({ kind: fc.constant('Present' as const), path: attributePathArbitrary(relative) }),
    ),
    filter: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.record({ kind: fc.constant('And' as const), left: tie('filter'), right: tie('filter') }),
      fc.record({ kind: fc.constant('Or' as const), left: tie('filter'), right: tie('filter') }),
      fc.record({ kind: fc.constant('Not' as const), filter: tie('filter') }),
      ...(relative
        ? []
        : [
            fc.record({
              kind: fc.constant('ValuePath' as const),
              path: attributePathArbitrary().map(({ subAttribute: _s, ...path }) => path),
              filter: filterArbitrary(true),
            }),
          ]),
    ),
  }));
  return filter;
}

/** A filter AST without `loc`, value paths not nested. */
export const filterAst: fc.Arbitrary<Filter> = filterArbitrary(false);
