import { parseInstant } from '@scimkit/filter';
import { dateTimeKey } from './date-time.js';
import { identifier, type SqlFragment, sql } from './fragment.js';

/**
 * A JSON value inside a row: the dialect decides what it holds (SQLite: a document and a JSON
 * path; PostgreSQL: a `jsonb` expression). The translator treats it as opaque.
 */
export interface JsonRef {
  /** Discriminant. */
  readonly kind: 'json';
  /** Dialect-specific data. */
  readonly impl: unknown;
}

/** A plain text column (for attributes a store keeps in a side table, such as Group members). */
export interface ColumnRef {
  /** Discriminant. */
  readonly kind: 'column';
  /** The column expression; NULL when the value is absent. */
  readonly expression: SqlFragment;
}

/** Where a value is read from: JSON inside the row, or a text column. */
export type ValueRef = JsonRef | ColumnRef;

/**
 * What the translator needs from a database: JSON access, typed extraction, string matching
 * and placeholders. Every method returns a {@link SqlFragment}, so values stay parameters.
 * Implement it to support another database; {@link sqliteDialect} and {@link postgresDialect}
 * are the built-in ones.
 */
export interface SqlDialect {
  /** `sqlite`, `postgres`, … (for messages and tests). */
  readonly name: string;
  /** The placeholder of the 1-based parameter `index` (`?` or `$1`). */
  placeholder(index: number): string;
  /** The JSON value at `segments` (canonical attribute names) below the JSON document `document`. */
  documentRef(document: SqlFragment, segments: readonly string[]): JsonRef;
  /** The JSON value at `segments` below `ref`. */
  childRef(ref: JsonRef, segments: readonly string[]): JsonRef;
  /**
   * A FROM item that yields one row per element of the array at `ref`, aliased `alias`, a
   * condition that holds only when `ref` is an array, and the element's reference.
   */
  arrayElements(ref: JsonRef, alias: string): { from: SqlFragment; where: SqlFragment; element: JsonRef };
  /** SQL text when the JSON value is a string, else NULL. */
  text(ref: JsonRef): SqlFragment;
  /** A SQL number when the JSON value is a number, else NULL. */
  number(ref: JsonRef): SqlFragment;
  /** Whether the JSON value is the boolean `value` (never NULL). */
  isBoolean(ref: JsonRef, value: boolean): SqlFragment;
  /** SCIM `pr`: not null, not `""`, not `[]`, not `{}` (never NULL). */
  present(ref: JsonRef): SqlFragment;
  /** Unicode lower-casing of a text expression. */
  lower(expression: SqlFragment): SqlFragment;
  /** Whether the JSON value is an object (never NULL). */
  isObject(ref: JsonRef): SqlFragment;
  /**
   * A key of an xsd:dateTime text expression that compares chronologically (NULL when the text
   * is not a dateTime).
   */
  dateTime(expression: SqlFragment): SqlFragment;
  /**
   * The key of a filter's dateTime value in the form {@link SqlDialect.dateTime} produces, or
   * undefined when the dialect cannot represent it exactly (the comparison then stays in memory).
   */
  dateTimeValue(value: string): unknown;
  /**
   * A key of a dateTime text expression truncated to the millisecond, for sorting (in-memory
   * sorting compares `Date.parse` milliseconds, so equal milliseconds keep insertion order).
   */
  dateTimeMillis(expression: SqlFragment): SqlFragment;
  /** `expression LIKE pattern ESCAPE '\'`, case-sensitively; the pattern is already escaped. */
  like(expression: SqlFragment, pattern: string): SqlFragment;
  /** Case-sensitive substring tests, exact (no wildcards). */
  contains(expression: SqlFragment, needle: string): SqlFragment;
  /** Case-sensitive prefix test. */
  startsWith(expression: SqlFragment, needle: string): SqlFragment;
  /** Case-sensitive suffix test. */
  endsWith(expression: SqlFragment, needle: string): SqlFragment;
  /** A two-valued boolean: NULL becomes false. */
  truthy(predicate: SqlFragment): SqlFragment;
  /** The literal true predicate. */
  readonly true: SqlFragment;
  /** The literal false predicate. */
  readonly false: SqlFragment;
  /**
   * Whether a case-insensitive comparison with this string can be pushed down. A dialect whose
   * lower-casing only folds ASCII returns false for other text, so the store evaluates it in memory.
   */
  canFoldCase(value: string): boolean;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Whether a schema name can be written into a JSON path (names from schemas, never from requests). */
export function isSafePathSegment(segment: string): boolean {
  return segment.length > 0 && !/["\\\u0000-\u001f]/.test(segment);
}

/* -------------------------------------------------------------------------- SQLite */

interface SqliteRef {
  document: SqlFragment;
  /** An expression evaluating to a JSON path text. */
  path: SqlFragment;
}

function sqlitePath(segments: readonly string[]): string {
  return segments
    .map((segment) => {
      if (!isSafePathSegment(segment))
        throw new TypeError(`Unsafe JSON path segment ${JSON.stringify(segment)}`);
      return `."${segment}"`;
    })
    .join('');
}

function sqliteImpl(ref: JsonRef): SqliteRef {
  return ref.impl as SqliteRef;
}

/** Options of {@link sqliteDialect}. */
export interface SqliteDialectOptions {
  /**
   * The SQL function that lower-cases text. SQLite's built-in `lower()` folds ASCII only, so
   * case-insensitive filters on other text are left to the in-memory fallback. A store that
   * registers a Unicode function (as `@scimkit/store-sqlite` does with `scim_lower`, which
   * calls `String.prototype.toLowerCase`) names it here and everything is pushed down.
   * @defaultValue 'lower'
   */
  lowerFunction?: string;
  /**
   * The SQL function that turns a dateTime text into a key comparing chronologically to the
   * nanosecond, as `dateTimeKey` of this package does (`@scimkit/store-sqlite` registers it as
   * `scim_datetime`). Without it, dateTimes compare as `unixepoch(…, 'subsec')` milliseconds:
   * filter values with more than three fraction digits stay in memory, and stored values are
   * compared at millisecond precision with SQLite's date parser.
   */
  dateTimeFunction?: string;
}

/**
 * The SQLite dialect (3.38+ JSON functions, `unixepoch(…, 'subsec')` from 3.42): documents are
 * JSON text, values are read with `json_extract`/`json_type`, arrays with `json_each`, and
 * JSON paths are bound as parameters.
 *
 * @example
 * ```ts
 * import { sqliteDialect } from '@scimkit/sql';
 *
 * const dialect = sqliteDialect({ lowerFunction: 'scim_lower' });
 * ```
 */
export function sqliteDialect(options: SqliteDialectOptions = {}): SqlDialect {
  const lowerName = options.lowerFunction ?? 'lower';
  const lowerFunction = identifier(lowerName);
  const unicodeLower = lowerName !== 'lower';
  const dateTimeFunction =
    options.dateTimeFunction === undefined ? undefined : identifier(options.dateTimeFunction);
  return {
    name: 'sqlite',
    placeholder: () => '?',
    documentRef: (document, segments) => ({
      kind: 'json',
      impl: { document, path: sql`${`$${sqlitePath(segments)}`}` } satisfies SqliteRef,
    }),
    childRef: (ref, segments) => {
      const { document, path } = sqliteImpl(ref);
      if (segments.length === 0) return ref;
      return { kind: 'json', impl: { document, path: sql`(${path} || ${sqlitePath(segments)})` } };
    },
    arrayElements: (ref, alias) => {
      const { document, path } = sqliteImpl(ref);
      const name = identifier(alias);
      return {
        from: sql`json_each(${document}, ${path}) AS ${name}`,
        // json_each over an object would iterate its members: only arrays count.
        where: sql`json_type(${document}, ${path}) = 'array'`,
        // fullkey is the element's path within the same document (SQLite quotes it), so
        // sub-attributes are read with json_extract and nothing is parsed from element text.
        element: { kind: 'json', impl: { document, path: sql`${name}.fullkey` } },
      };
    },
    text: (ref) => {
      const { document, path } = sqliteImpl(ref);
      return sql`iif(json_type(${document}, ${path}) = 'text', json_extract(${document}, ${path}), NULL)`;
    },
    number: (ref) => {
      const { document, path } = sqliteImpl(ref);
      return sql`iif(json_type(${document}, ${path}) IN ('integer', 'real'), json_extract(${document}, ${path}), NULL)`;
    },
    isBoolean: (ref, value) => {
      const { document, path } = sqliteImpl(ref);
      return sql`coalesce(json_type(${document}, ${path}) = ${value ? 'true' : 'false'}, 0)`;
    },
    present: (ref) => {
      const { document, path } = sqliteImpl(ref);
      return sql`(CASE json_type(${document}, ${path}) WHEN 'text' THEN json_extract(${document}, ${path}) <> '' WHEN 'array' THEN json_extract(${document}, ${path}) <> '[]' WHEN 'object' THEN json_extract(${document}, ${path}) <> '{}' WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'true' THEN 1 WHEN 'false' THEN 1 ELSE 0 END)`;
    },
    lower: (expression) => sql`${lowerFunction}(${expression})`,
    isObject: (ref) => {
      const { document, path } = sqliteImpl(ref);
      return sql`coalesce(json_type(${document}, ${path}) = 'object', 0)`;
    },
    dateTime: (expression) =>
      dateTimeFunction
        ? sql`${dateTimeFunction}(${expression})`
        : sql`CAST(round(unixepoch(${expression}, 'subsec') * 1000) AS INTEGER)`,
    // The key is "<13 digits of seconds>.<9 digits of nanoseconds>": 17 characters keep milliseconds.
    dateTimeMillis: (expression) =>
      dateTimeFunction
        ? sql`substr(${dateTimeFunction}(${expression}), 1, 17)`
        : sql`CAST(round(unixepoch(${expression}, 'subsec') * 1000) AS INTEGER)`,
    dateTimeValue: (value) => {
      if (dateTimeFunction) return dateTimeKey(value) ?? undefined;
      const instant = parseInstant(value);
      if (!instant || instant.fractionDigits > 3) return undefined;
      return instant.seconds * 1000 + instant.nanos / 1e6;
    },
    // SQLite's LIKE folds ASCII case; callers lower both sides for case-insensitive matching and
    // use contains/startsWith/endsWith (exact, no LIKE) for case-exact matching.
    like: (expression, pattern) => sql`${expression} LIKE ${pattern} ESCAPE '\\'`,
    contains: (expression, needle) => sql`instr(${expression}, ${needle}) > 0`,
    startsWith: (expression, needle) => sql`substr(${expression}, 1, length(${needle})) = ${needle}`,
    endsWith: (expression, needle) =>
      sql`(length(${expression}) >= length(${needle}) AND substr(${expression}, length(${expression}) - length(${needle}) + 1) = ${needle})`,
    truthy: (predicate) => sql`coalesce(${predicate}, 0)`,
    true: sql`1`,
    false: sql`0`,
    canFoldCase: (value) => unicodeLower || /^[\u0000-\u007f]*$/.test(value),
  };
}

/* ---------------------------------------------------------------------- PostgreSQL */

function pgImpl(ref: JsonRef): SqlFragment {
  return ref.impl as SqlFragment;
}

/** Options of {@link postgresDialect}. */
export interface PostgresDialectOptions {
  /**
   * Lower-case with the ICU root collation (`lower(x COLLATE "und-x-icu")`), which folds exactly
   * as `String.prototype.toLowerCase` does (final sigma, dotted capital I). PostgreSQL built with
   * ICU has it (the Debian, Ubuntu, Red Hat and official Docker builds do: check with
   * `SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`). With `false`, `lower()` uses the
   * database's collation, whose case mapping may differ from JavaScript's for non-ASCII text
   * (or fold ASCII only, under the `C` locale), so such comparisons are left to `residual`.
   * @defaultValue true
   */
  icu?: boolean;
}

/**
 * Matches exactly the xsd:dateTime texts `parseInstant` of `@scimkit/filter` accepts, except
 * impossible days of a month (such as the 30th of February), which PostgreSQL refuses to cast.
 */
const PG_DATE_TIME =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[Tt ]([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d+)?([Zz]|[+-]([01]\\d|2[0-3]):[0-5]\\d)?$';

/**
 * Seconds since the epoch of a dateTime text already known to match {@link PG_DATE_TIME}
 * (fraction ignored), computed without the session's TimeZone: the local part is read as a
 * `timestamp` (no zone) and the text's own offset subtracted; no offset means UTC, as for the
 * evaluator. A leap second (`:60`) rolls over into the next minute, as `parseInstant` counts it.
 */
function pgEpochSeconds(expression: SqlFragment): SqlFragment {
  return sql`(extract(epoch FROM (left(${expression}, 10) || ' ' || substr(${expression}, 12, 8))::timestamp)::bigint - (CASE WHEN ${expression} ~ '[+-][0-9]{2}:[0-9]{2}$' THEN (CASE WHEN substr(right(${expression}, 6), 1, 1) = '-' THEN -1 ELSE 1 END) * (substr(right(${expression}, 5), 1, 2)::int * 3600 + substr(right(${expression}, 5), 4, 2)::int * 60) ELSE 0 END))`;
}

/**
 * The PostgreSQL dialect: documents are `jsonb`, values are read with `#>` (the path bound as a
 * `text[]` parameter) and `jsonb_typeof`, arrays with `jsonb_array_elements`, placeholders are
 * `$1…`. Case-insensitive matching uses `lower()` with the ICU root collation (Unicode-aware,
 * as JavaScript folds); text compares and sorts with `COLLATE "C"` (by code point, as the
 * evaluator and the in-memory sort compare), whatever the database's locale. dateTimes compare
 * to the nanosecond as `numeric` keys computed without the session's TimeZone.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { userResourceType } from '@scimkit/schema';
 * import { postgresDialect, translateFilter } from '@scimkit/sql';
 * import pg from 'pg';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const filter = parseFilter('userName eq "bjensen"');
 * const { sql, params } = translateFilter(filter, { dialect: postgresDialect(), resourceType: userResourceType, document: 'r.data' });
 * await pool.query(`SELECT data FROM resources r WHERE ${sql}`, params);
 * ```
 */
export function postgresDialect(options: PostgresDialectOptions = {}): SqlDialect {
  const icu = options.icu ?? true;
  return {
    name: 'postgres',
    placeholder: (index) => `$${index}`,
    documentRef: (document, segments) => ({
      kind: 'json',
      impl: segments.length === 0 ? document : sql`(${document} #> ${[...segments]}::text[])`,
    }),
    childRef: (ref, segments) =>
      segments.length === 0 ? ref : { kind: 'json', impl: sql`(${pgImpl(ref)} #> ${[...segments]}::text[])` },
    arrayElements: (ref, alias) => {
      const value = pgImpl(ref);
      const name = identifier(alias);
      return {
        from: sql`jsonb_array_elements(CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE '[]'::jsonb END) AS ${name}(value)`,
        where: sql`true`,
        element: { kind: 'json', impl: sql`${name}.value` },
      };
    },
    // COLLATE "C": `<`, `>` and ORDER BY compare by code point, not by the database's locale.
    text: (ref) => {
      const value = pgImpl(ref);
      return sql`(CASE WHEN jsonb_typeof(${value}) = 'string' THEN (${value} #>> '{}') COLLATE "C" END)`;
    },
    number: (ref) => {
      const value = pgImpl(ref);
      return sql`(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value} #>> '{}')::numeric END)`;
    },
    isBoolean: (ref, value) => sql`coalesce(${pgImpl(ref)} = ${value ? 'true' : 'false'}::jsonb, false)`,
    present: (ref) => {
      const value = pgImpl(ref);
      return sql`coalesce(CASE jsonb_typeof(${value}) WHEN 'string' THEN ${value} <> '""'::jsonb WHEN 'array' THEN ${value} <> '[]'::jsonb WHEN 'object' THEN ${value} <> '{}'::jsonb WHEN 'null' THEN false ELSE ${value} IS NOT NULL END, false)`;
    },
    // Case mapping comes from the collation of lower()'s input; the result compares by code point.
    lower: (expression) =>
      icu
        ? sql`lower((${expression}) COLLATE "und-x-icu") COLLATE "C"`
        : sql`lower((${expression}) COLLATE "default") COLLATE "C"`,
    isObject: (ref) => sql`coalesce(jsonb_typeof(${pgImpl(ref)}) = 'object', false)`,
    // Nanoseconds since the epoch as numeric (exact for any fraction length, like the evaluator).
    dateTime: (expression) =>
      sql`(CASE WHEN ${expression} ~ ${PG_DATE_TIME} AND left(${expression}, 4) <> '0000' THEN ${pgEpochSeconds(expression)}::numeric * 1000000000 + rpad(coalesce(substring(${expression} FROM '[.]([0-9]{1,9})'), ''), 9, '0')::numeric END)`,
    // Milliseconds (the exact key truncated), as the in-memory sort compares Date.parse values.
    dateTimeMillis: (expression) =>
      sql`(CASE WHEN ${expression} ~ ${PG_DATE_TIME} AND left(${expression}, 4) <> '0000' THEN ${pgEpochSeconds(expression)} * 1000 + rpad(coalesce(substring(${expression} FROM '[.]([0-9]{1,3})'), ''), 3, '0')::bigint END)`,
    dateTimeValue: (value) => {
      const instant = parseInstant(value);
      if (!instant) return undefined;
      // Beyond 2^53: bound as text, compared as numeric.
      return (BigInt(instant.seconds) * 1_000_000_000n + BigInt(instant.nanos)).toString();
    },
    like: (expression, pattern) => sql`${expression} LIKE ${pattern} ESCAPE '\\'`,
    contains: (expression, needle) => sql`strpos(${expression}, ${needle}) > 0`,
    startsWith: (expression, needle) => sql`starts_with(${expression}, ${needle})`,
    endsWith: (expression, needle) => sql`right(${expression}, length(${needle})) = ${needle}`,
    truthy: (predicate) => sql`coalesce(${predicate}, false)`,
    true: sql`true`,
    false: sql`false`,
    // Without ICU, lower() follows the database's locale: only ASCII folds the same everywhere.
    canFoldCase: (value) => icu || /^[\u0000-\u007f]*$/.test(value),
  };
}

/** Text of a {@link ColumnRef} or a JSON string. */
export function textOf(dialect: SqlDialect, ref: ValueRef): SqlFragment {
  return ref.kind === 'column' ? ref.expression : dialect.text(ref);
}
