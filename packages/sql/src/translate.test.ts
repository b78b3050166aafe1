import { type Filter, formatFilter, parseFilter } from '@scimkit/filter';
import { groupResourceType, isScimError, resolveAttribute, userResourceType } from '@scimkit/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeLike, postgresDialect, sqliteDialect } from './dialect.js';
import { identifier, renderSql, sql } from './fragment.js';
import { decodeCursor, encodeCursor, keysetAfter, translateQuery } from './paging.js';
import { translateSort } from './sort.js';
import { translateFilter } from './translate.js';
import type { ChildValueLookup, TranslateOptions } from './translation.js';

const sqlite: TranslateOptions = {
  dialect: sqliteDialect(),
  resourceType: userResourceType,
  document: 'r.data',
};
const postgres: TranslateOptions = {
  dialect: postgresDialect(),
  resourceType: userResourceType,
  document: 'r.data',
};

function translate(filter: string, options: TranslateOptions = sqlite) {
  return translateFilter(parseFilter(filter), options);
}

describe('translateFilter', () => {
  it('reads a case-insensitive attribute through lower() with the value and JSON path as parameters', () => {
    const result = translate('userName eq "BJensen"');
    expect(result.sql).toBe(
      "coalesce(lower(iif(json_type(r.data, ?) = 'text', json_extract(r.data, ?), NULL)) = ?, 0)",
    );
    expect(result.params).toEqual(['$."userName"', '$."userName"', 'bjensen']);
    expect(result.residual).toBeUndefined();
  });

  it('compares a caseExact attribute as written', () => {
    const result = translate('externalId eq "AbC"');
    expect(result.sql).not.toContain('lower');
    expect(result.params).toContain('AbC');
  });

  it('escapes %, _ and the escape character in LIKE patterns', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
    const result = translate('userName co "50%_Off\\\\"');
    expect(result.sql).toContain("LIKE ? ESCAPE '\\'");
    expect(result.params).toContain('%50\\%\\_off\\\\%');
    expect(translate('userName sw "a_"').params).toContain('a\\_%');
    expect(translate('userName ew "%"').params).toContain('%\\%');
  });

  it('uses exact substring functions, not LIKE, for case-exact co, sw and ew', () => {
    expect(translate('externalId co "%"').sql).toContain('instr(');
    expect(translate('externalId sw "_"').sql).toContain('substr(');
    expect(translate('externalId ew "x"').sql).not.toContain('LIKE');
  });

  it('compares dateTimes as UTC epoch milliseconds', () => {
    const result = translate('meta.lastModified gt "2011-05-13T04:42:34.5+02:00"');
    expect(result.sql).toContain(
      "unixepoch(iif(json_type(r.data, ?) = 'text', json_extract(r.data, ?), NULL), 'subsec')",
    );
    expect(result.params).toContain(Date.UTC(2011, 4, 13, 2, 42, 34, 500));
    expect(translate('meta.lastModified gt "yesterday"').residual).toBeDefined();
  });

  it('matches multi-valued attributes with EXISTS over json_each, and a value path within one element', () => {
    const any = translate('emails.type eq "work"');
    expect(any.sql).toMatch(
      /^EXISTS \(SELECT 1 FROM json_each\(r\.data, \?\) AS scim_e1 WHERE json_type\(r\.data, \?\) = 'array' AND /,
    );
    expect(any.sql).toContain('(scim_e1.fullkey || ?)');
    expect(any.params).toContain('."type"');
    const within = translate('emails[type eq "work" and value co "@example.com"]');
    expect(within.sql.match(/json_each/g)).toHaveLength(1);
    const apart = translate('emails.type eq "work" and emails.value co "@example.com"');
    expect(apart.sql.match(/json_each/g)).toHaveLength(2);
  });

  it('reads extension attributes under their schema URN', () => {
    const result = translate(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"',
    );
    expect(result.params).toContain(
      '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"."employeeNumber"',
    );
  });

  it('translates pr, not, ne and booleans into two-valued predicates', () => {
    expect(translate('title pr').sql).toMatch(/^\(CASE json_type\(r\.data, \?\) WHEN 'text'/);
    expect(translate('not (title pr)').sql).toMatch(/^\(NOT \(CASE/);
    // `ne` needs a value that differs: an absent attribute matches neither `eq` nor `ne`.
    expect(translate('userName ne "x"').sql).toMatch(/^coalesce\(lower\(.*\) <> \?, 0\)$/);
    expect(translate('userName eq null').sql).toMatch(/^\(NOT \(CASE json_type/);
    const active = translate('active eq true');
    expect(active.sql).toBe('coalesce(json_type(r.data, ?) = ?, 0)');
    expect(active.params).toEqual(['$."active"', 'true']);
  });

  it('leaves what it cannot push down exactly to the residual filter', () => {
    const partial = translate('userName eq "a" and nickName gt true and title pr');
    expect(formatFilter(partial.residual!)).toBe('nickName gt true');
    expect(partial.sql.split(' AND ')).toHaveLength(2);
    const whole = translate('userName eq "a" or unknown eq "b"');
    expect(whole.sql).toBe('1');
    expect(formatFilter(whole.residual!)).toBe('userName eq "a" or unknown eq "b"');
    for (const filter of [
      'active gt true',
      'active gt "x"',
      'meta.created gt "soon"',
      'unknown eq "x"',
      'nickName lt null',
    ]) {
      expect(translate(filter).residual, filter).toBeDefined();
    }
    // What the evaluator answers with "never" is pushed down as false.
    for (const filter of ['name eq "x"', 'userName eq 1', 'active co true', 'active eq "true"']) {
      expect(translate(filter), filter).toMatchObject({ sql: '0', params: [] });
    }
    expect(translate('emails[display.x eq "a"]').sql).toMatch(/ AND 0\)$/);
  });

  it('leaves non-ASCII case-insensitive matches to the residual when lower() only folds ASCII', () => {
    expect(translate('userName eq "émile"').residual).toBeDefined();
    const unicode = { ...sqlite, dialect: sqliteDialect({ lowerFunction: 'scim_lower' }) };
    const result = translate('userName eq "Émile"', unicode);
    expect(result.residual).toBeUndefined();
    expect(result.sql).toContain('scim_lower(');
    expect(result.params).toContain('émile');
  });

  it('answers indexed equalities through the equalityIndex hook', () => {
    const seen: unknown[] = [];
    const result = translateFilter(parseFilter('emails eq "A@x" and userName eq "Bob"'), {
      ...sqlite,
      equalityIndex: (lookup) => {
        seen.push(lookup);
        return lookup.attribute === 'userName'
          ? sql`r.id IN (SELECT id FROM idx WHERE v = ${lookup.value})`
          : undefined;
      },
    });
    expect(seen).toEqual([
      { attribute: 'emails.value', value: 'A@x', caseExact: false },
      { attribute: 'userName', value: 'Bob', caseExact: false },
    ]);
    expect(result.sql).toContain('r.id IN (SELECT id FROM idx WHERE v = ?)');
  });

  it('reads attributes kept in a child table from its columns', () => {
    const result = translateFilter(parseFilter('members[value eq "u1" and type eq "User"]'), {
      dialect: sqliteDialect(),
      resourceType: groupResourceType,
      document: 'r.data',
      childTables: [
        {
          attribute: 'members',
          table: 'members',
          columns: { value: 'member_id', type: 'type' },
          correlate: (alias) => sql`${identifier(`${alias}.group_id`)} = r.id`,
        },
      ],
    });
    expect(result.sql).toBe(
      'EXISTS (SELECT 1 FROM members AS scim_e1 WHERE scim_e1.group_id = r.id AND (coalesce(lower(scim_e1.member_id) = ?, 0) AND coalesce(lower(scim_e1.type) = ?, 0)))',
    );
    expect(result.params).toEqual(['u1', 'user']);
  });

  it('hands a top-level member value equality to childValueIndex, and translates the rest itself', () => {
    const lookups: ChildValueLookup[] = [];
    const members = {
      attribute: 'members',
      table: 'members',
      columns: { value: 'value', type: 'type' },
      correlate: (alias: string) => sql`${identifier(`${alias}.group_id`)} = r.id`,
    };
    const options: TranslateOptions = {
      dialect: sqliteDialect(),
      resourceType: groupResourceType,
      document: 'r.data',
      childTables: [members],
      childValueIndex: (lookup) => {
        lookups.push(lookup);
        return lookup.value === 'declined'
          ? undefined
          : sql`r.id IN (SELECT holder FROM idx WHERE v = ${lookup.value})`;
      },
    };
    for (const filter of [
      'members[value eq "U1"]',
      'members.value eq "U1"',
      'members eq "U1"',
      'MEMBERS[Value eq "U1"]',
    ]) {
      lookups.length = 0;
      const result = translate(filter, options);
      expect(result.sql, filter).toBe('r.id IN (SELECT holder FROM idx WHERE v = ?)');
      expect(result.params, filter).toEqual(['U1']);
      expect(lookups, filter).toEqual([{ table: members, value: 'U1', caseExact: false }]);
    }
    // Inside not/or/and the hook answers each term.
    expect(translate('not (members[value eq "a"]) or displayName eq "x"', options).sql).toMatch(
      /^\(\(NOT r\.id IN \(SELECT holder FROM idx WHERE v = \?\)\) OR /,
    );
    // Not a value equality: the correlated test of each group's rows.
    lookups.length = 0;
    for (const filter of [
      'members[value ne "u1"]',
      'members[value co "u1"]',
      'members[value eq "u1" and type eq "User"]',
      'members[type eq "User"]',
      'members.type eq "User"',
      'members[value eq 1]',
      'members[value eq "declined"]',
    ]) {
      expect(translate(filter, options).sql, filter).toMatch(
        /^(\(NOT )?EXISTS \(SELECT 1 FROM members AS scim_e1/,
      );
    }
    expect(lookups.map((lookup) => lookup.value)).toEqual(['declined']);
  });

  it('evaluates the rowGuard for every row of every subquery, child tables and JSON arrays alike', () => {
    const result = translateFilter(parseFilter('members[value eq "u1"]'), {
      dialect: sqliteDialect(),
      resourceType: groupResourceType,
      document: 'r.data',
      rowGuard: sql`scim_guard()`,
      childTables: [
        {
          attribute: 'members',
          table: 'members',
          columns: { value: 'member_id' },
          correlate: (alias) => sql`${identifier(`${alias}.group_id`)} = r.id`,
        },
      ],
    });
    expect(result.sql).toContain(
      'EXISTS (SELECT 1 FROM members AS scim_e1 WHERE scim_e1.group_id = r.id AND scim_guard() AND ',
    );
    const users = translate('emails[type eq "work"] or phoneNumbers co "1"', {
      ...sqlite,
      rowGuard: sql`scim_guard()`,
    });
    expect(users.sql.match(/EXISTS \(/g)).toHaveLength(2);
    expect(users.sql.match(/ AND scim_guard\(\) AND /g)).toHaveLength(2);
  });

  it('never puts a value or an attribute name into SQL text', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom("'; DROP TABLE resources; --", '" OR 1=1 --', '%', '_', '\\', '$."x"', '?', '$1'),
    );
    // Names the schema does not know (a random string may spell a real one, such as "nAme").
    const unknownName = hostile.filter((name) => !resolveAttribute(userResourceType, { attribute: name }));
    fc.assert(
      fc.property(
        unknownName,
        hostile,
        fc.constantFrom('eq', 'co', 'sw', 'ew', 'gt'),
        (name, value, operator) => {
          const filter: Filter = {
            kind: 'Comparison',
            path: { kind: 'AttributePath', attribute: name },
            operator: operator as 'eq',
            value,
          };
          const asName = translateFilter(filter, sqlite);
          // An unknown attribute is never translated: it is left to the in-memory evaluator.
          expect(asName.sql).toBe('1');
          const asValue = translateFilter(
            { ...filter, path: { kind: 'AttributePath', attribute: 'userName' } },
            sqlite,
          );
          const reference = translateFilter(
            { ...filter, path: { kind: 'AttributePath', attribute: 'userName' }, value: 'x' },
            sqlite,
          );
          if (!asValue.residual) expect(asValue.sql).toBe(reference.sql);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('postgresDialect', () => {
  it('generates jsonb SQL with numbered placeholders and text[] paths', () => {
    const result = translate('userName eq "Bob" and emails[type eq "work"]', postgres);
    expect(result.sql).toBe(
      "coalesce(lower(((CASE WHEN jsonb_typeof((r.data #> $1::text[])) = 'string' THEN ((r.data #> $2::text[]) #>> '{}') COLLATE \"C\" END)) COLLATE \"und-x-icu\") COLLATE \"C\" = $3, false) AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof((r.data #> $4::text[])) = 'array' THEN (r.data #> $5::text[]) ELSE '[]'::jsonb END) AS scim_e1(value) WHERE true AND coalesce(jsonb_typeof(scim_e1.value) = 'object', false) AND coalesce(lower(((CASE WHEN jsonb_typeof((scim_e1.value #> $6::text[])) = 'string' THEN ((scim_e1.value #> $7::text[]) #>> '{}') COLLATE \"C\" END)) COLLATE \"und-x-icu\") COLLATE \"C\" = $8, false))",
    );
    expect(result.params).toEqual([
      ['userName'],
      ['userName'],
      'bob',
      ['emails'],
      ['emails'],
      ['type'],
      ['type'],
      'work',
    ]);
  });

  it('uses LIKE with ESCAPE for case-insensitive co and strpos for case-exact co', () => {
    expect(translate('userName co "a%"', postgres).sql).toContain("LIKE $3 ESCAPE '\\'");
    expect(translate('userName co "a%"', postgres).params).toContain('%a\\%%');
    expect(translate('externalId co "a%"', postgres).sql).toContain('strpos(');
  });

  it('compares dateTimes as exact nanosecond keys, whatever the fraction length and the session TimeZone', () => {
    const result = translate('meta.created ge "2020-01-01T00:00:00.123456789+01:00"', postgres);
    expect(result.residual).toBeUndefined();
    // Beyond 2^53: bound as text, compared as numeric.
    expect(result.params).toContain(
      ((BigInt(Date.UTC(2020, 0, 1)) / 1000n - 3600n) * 1_000_000_000n + 123456789n).toString(),
    );
    // The stored text is read as a zone-less timestamp and its own offset subtracted: no ::timestamptz.
    expect(result.sql).toContain('::timestamp)');
    expect(result.sql).not.toContain('timestamptz');
    expect(translate('meta.created ge "2020-01-01t00:00:00z"', postgres).residual).toBeUndefined();
  });

  // Regression: text compared and sorted by the database's locale (en_US: "a" < "B" < "b"), and
  // lower() folded by libc (or ASCII only under the C locale), so answers differed from compileFilter.
  it('compares text by code point and lower-cases with ICU, or leaves non-ASCII folding to memory', () => {
    expect(translate('userName gt "B"', postgres).sql).toContain('COLLATE "C"');
    const sort = translateSort(
      { path: { kind: 'AttributePath', attribute: 'nickName' }, order: 'ascending' },
      postgres,
    );
    expect(renderSql(sort.key, (index) => `$${index}`).sql).toContain('COLLATE "C"');
    const plain: TranslateOptions = { ...postgres, dialect: postgresDialect({ icu: false }) };
    expect(translate('userName eq "Émile"', plain).residual).toBeDefined();
    expect(translate('userName eq "emile"', plain).residual).toBeUndefined();
    expect(translate('userName eq "emile"', plain).sql).toContain('COLLATE "default"');
    expect(translate('externalId eq "Émile"', plain).residual).toBeUndefined();
  });
});

describe('translateSort', () => {
  it('orders missing values last, then by key, then by the tiebreak', () => {
    const sort = translateSort(
      { path: { kind: 'AttributePath', attribute: 'userName' }, order: 'descending' },
      { ...sqlite, tiebreak: 'r.seq' },
    );
    const rendered = renderSql(sort.orderBy, () => '?');
    expect(rendered.sql).toMatch(/^\(lower\(.*\) IS NULL\) ASC, lower\(.*\) DESC, r\.seq ASC$/);
    expect(sort.signature).toBe('userName:descending');
  });

  it('sorts a multi-valued attribute by its primary value, else its first', () => {
    const sort = translateSort(
      { path: { kind: 'AttributePath', attribute: 'emails' }, order: 'ascending' },
      sqlite,
    );
    const rendered = renderSql(sort.key, () => '?').sql;
    expect(rendered).toMatch(/^\(CASE WHEN EXISTS \(SELECT 1 FROM json_each/);
    expect(rendered).toContain('LIMIT 1');
  });

  it('orders by the tiebreak alone when the attribute has no sort key (a complex one), with no constant PostgreSQL refuses', () => {
    for (const attribute of ['name', 'meta']) {
      const sort = translateSort(
        { path: { kind: 'AttributePath', attribute }, order: 'descending' },
        { ...postgres, tiebreak: 'r.seq' },
      );
      // `ORDER BY (NULL IS NULL) ASC, NULL DESC` is "non-integer constant in ORDER BY" in PostgreSQL.
      expect(renderSql(sort.orderBy, (index) => `$${index}`).sql).toBe('r.seq ASC');
      expect(renderSql(sort.key, (index) => `$${index}`).sql).toBe('NULL');
      expect(sort.signature).toBe(`${attribute}:descending`);
    }
  });

  it('rejects a sortBy naming no attribute of the resource type with 400 invalidValue', () => {
    try {
      translateSort(
        { path: { kind: 'AttributePath', attribute: "x'; DROP TABLE r" }, order: 'ascending' },
        sqlite,
      );
      expect.unreachable();
    } catch (error) {
      expect(isScimError(error) && [error.status, error.scimType]).toEqual([400, 'invalidValue']);
    }
  });
});

describe('translateQuery', () => {
  const sortBy = {
    path: { kind: 'AttributePath' as const, attribute: 'userName' },
    order: 'ascending' as const,
  };

  it('turns index paging into LIMIT and OFFSET with startIndex below 1 counting as 1', () => {
    expect(translateQuery({ page: { kind: 'index', startIndex: 0, count: 10 } }, sqlite)).toMatchObject({
      offset: 0,
      limit: 10,
    });
    expect(translateQuery({ page: { kind: 'index', startIndex: 21, count: -5 } }, sqlite)).toMatchObject({
      offset: 20,
      limit: 0,
    });
  });

  it('turns a cursor into a keyset condition bound to the sort', () => {
    const options = { ...sqlite, tiebreak: 'r.seq' };
    const sort = translateSort(sortBy, options);
    const cursor = encodeCursor(sort, { key: 'bob', id: 7 });
    const query = translateQuery({ sort: sortBy, page: { kind: 'cursor', cursor, count: 5 } }, options);
    const after = renderSql(query.after!, () => '?');
    expect(after.sql).toMatch(
      /^\(lower\(.*\) IS NULL OR lower\(.*\) > \? OR \(lower\(.*\) = \? AND r\.seq > \?\)\)$/,
    );
    expect(after.params.filter((param) => param === 'bob')).toHaveLength(2);
    expect(after.params.at(-1)).toBe(7);
    expect(decodeCursor(sort, cursor)).toEqual({ key: 'bob', id: 7 });
    const nullKey = renderSql(keysetAfter(sort, { key: null, id: 3 }, 'r.seq'), () => '?').sql;
    expect(nullKey).toMatch(/IS NULL AND r\.seq > \?\)$/);
  });

  it("carries the first page's total in the cursor for the same filter only", () => {
    const filter = parseFilter('userName sw "a"');
    const sort = translateSort(sortBy, sqlite);
    const first = translateQuery({ filter, sort: sortBy, page: { kind: 'cursor', count: 5 } }, sqlite);
    expect(first.knownTotal).toBeUndefined();
    const position = { key: 'bob', id: 7, total: 42, counted: first.filterDigest };
    const cursor = encodeCursor(sort, position);
    expect(decodeCursor(sort, cursor)).toEqual(position);
    const next = (f: Filter | undefined, c = cursor) =>
      translateQuery(
        { ...(f ? { filter: f } : {}), sort: sortBy, page: { kind: 'cursor', cursor: c, count: 5 } },
        sqlite,
      );
    expect(next(parseFilter('userName SW "a"')).knownTotal).toBe(42);
    // Another filter, no filter, or a cursor without a total: counted again.
    expect(next(parseFilter('userName sw "b"')).knownTotal).toBeUndefined();
    expect(next(undefined).knownTotal).toBeUndefined();
    expect(next(filter, encodeCursor(sort, { key: 'bob', id: 7 })).knownTotal).toBeUndefined();
    // Index paging always counts.
    expect(
      translateQuery({ filter, page: { kind: 'index', startIndex: 1, count: 5 } }, sqlite).knownTotal,
    ).toBeUndefined();
  });

  it('rejects a malformed cursor or one from another sort with 400 invalidCursor', () => {
    const sort = translateSort(sortBy, sqlite);
    const other = translateSort({ ...sortBy, order: 'descending' }, sqlite);
    const cursor = encodeCursor(sort, { key: 'a', id: 'x' });
    for (const bad of [
      '!!',
      'e30',
      Buffer.from('[1]').toString('base64url'),
      encodeCursor(other, { key: 1, id: 'x' }),
      // A total that is not a whole count, or without the filter it was counted for.
      Buffer.from(JSON.stringify({ v: 1, s: sort.signature, k: 'a', i: 'x', t: -1, c: 'd' })).toString(
        'base64url',
      ),
      Buffer.from(JSON.stringify({ v: 1, s: sort.signature, k: 'a', i: 'x', t: 1.5, c: 'd' })).toString(
        'base64url',
      ),
      Buffer.from(JSON.stringify({ v: 1, s: sort.signature, k: 'a', i: 'x', t: 3 })).toString('base64url'),
    ]) {
      try {
        decodeCursor(sort, bad);
        expect.unreachable();
      } catch (error) {
        expect(isScimError(error) && [error.status, error.scimType]).toEqual([400, 'invalidCursor']);
      }
    }
    expect(decodeCursor(sort, cursor)).toEqual({ key: 'a', id: 'x' });
  });
});

describe('identifier', () => {
  it('accepts plain and qualified names only', () => {
    expect(renderSql(identifier('r.data'), () => '?').sql).toBe('r.data');
    for (const bad of ['r.data; DROP TABLE x', 'a"b', '1a', 'a.b.c', '']) {
      expect(() => identifier(bad)).toThrow(TypeError);
    }
  });
});
