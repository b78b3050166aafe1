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
   * @default 'lower'
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

/**
 * The PostgreSQL dialect: documents are `jsonb`, values are read with `#>` (the path bound as a
 * `text[]` parameter) and `jsonb_typeof`, arrays with `jsonb_array_elements`, placeholders are
 * `$1…`. Case-insensitive matching uses `lower()` (Unicode-aware in PostgreSQL).
 *
 * @example
 * ```ts
 * const { sql, params } = translateFilter(filter, { dialect: postgresDialect(), resourceType, document: 'r.data' });
 * await pool.query(`SELECT data FROM resources r WHERE ${sql}`, params);
 * ```
 */
export function postgresDialect(): SqlDialect {
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
    text: (ref) => {
      const value = pgImpl(ref);
      return sql`(CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${value} #>> '{}' END)`;
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
    lower: (expression) => sql`lower(${expression})`,
    isObject: (ref) => sql`coalesce(jsonb_typeof(${pgImpl(ref)}) = 'object', false)`,
    // Microseconds since the epoch (timestamptz precision); the pattern keeps casts from failing.
    dateTime: (expression) =>
      sql`(CASE WHEN ${expression} ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})?$' THEN floor(extract(epoch FROM (${expression})::timestamptz) * 1000000)::bigint END)`,
    dateTimeMillis: (expression) =>
      sql`(CASE WHEN ${expression} ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?$' THEN floor(extract(epoch FROM (${expression})::timestamptz) * 1000)::bigint END)`,
    dateTimeValue: (value) => {
      const instant = parseInstant(value);
      if (!instant || instant.fractionDigits > 6) return undefined;
      return instant.seconds * 1e6 + instant.nanos / 1000;
    },
    like: (expression, pattern) => sql`${expression} LIKE ${pattern} ESCAPE '\\'`,
    contains: (expression, needle) => sql`strpos(${expression}, ${needle}) > 0`,
    startsWith: (expression, needle) => sql`starts_with(${expression}, ${needle})`,
    endsWith: (expression, needle) => sql`right(${expression}, length(${needle})) = ${needle}`,
    truthy: (predicate) => sql`coalesce(${predicate}, false)`,
    true: sql`true`,
    false: sql`false`,
    canFoldCase: () => true,
  };
}

/** Text of a {@link ColumnRef} or a JSON string. */
export function textOf(dialect: SqlDialect, ref: ValueRef): SqlFragment {
  return ref.kind === 'column' ? ref.expression : dialect.text(ref);
}
