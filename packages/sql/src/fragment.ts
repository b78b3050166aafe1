/**
 * SQL fragments that keep text and values apart. Text only ever comes from this package's
 * code or from identifiers checked by {@link identifier}; every value becomes a bound
 * parameter when the fragment is rendered. This is what makes SQL injection through filter
 * values, attribute names or `sortBy` impossible by construction.
 */

/** One piece of a fragment: trusted SQL text or a value to bind. */
type Part = { readonly text: string } | { readonly value: unknown };

const FRAGMENT = Symbol.for('scimkit.sql.fragment');

/**
 * A piece of SQL with its parameters, built with the {@link sql} template tag. Its text comes
 * only from template literals in code and checked identifiers; values are always parameters.
 */
export interface SqlFragment {
  /**
   * The fragment's pieces. Only {@link sql}, {@link identifier} and {@link joinSql} make fragments.
   * @internal
   */
  readonly [FRAGMENT]: readonly Part[];
}

/** Whether `value` is a {@link SqlFragment}. */
export function isSqlFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && FRAGMENT in value;
}

function fragment(parts: readonly Part[]): SqlFragment {
  return { [FRAGMENT]: parts };
}

/**
 * Template tag for SQL: the literal text is trusted, every interpolated value becomes a bound
 * parameter, and interpolated {@link SqlFragment}s are spliced in with their parameters.
 *
 * @example
 * ```ts
 * import { sql } from '@scimkit/sql';
 *
 * const active = sql`r.data ->> 'active' = ${'true'}`;
 * const where = sql`r.type = ${'User'} AND ${active}`;
 * ```
 */
export function sql(strings: TemplateStringsArray, ...values: readonly unknown[]): SqlFragment {
  const parts: Part[] = [];
  strings.forEach((text, index) => {
    if (text) parts.push({ text });
    if (index < values.length) {
      const value = values[index];
      if (isSqlFragment(value)) parts.push(...value[FRAGMENT]);
      else parts.push({ value });
    }
  });
  return fragment(parts);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * A table or column name (optionally qualified: `r.data`) as SQL text. Only names matching
 * `[A-Za-z_][A-Za-z0-9_]*` are accepted: identifiers come from configuration, never from requests.
 *
 * @throws TypeError when the name is not a plain identifier.
 */
export function identifier(name: string): SqlFragment {
  if (!IDENTIFIER.test(name)) throw new TypeError(`Not a plain SQL identifier: ${JSON.stringify(name)}`);
  return fragment([{ text: name }]);
}

/** Joins fragments with a trusted separator such as `' AND '`. */
export function joinSql(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  const parts: Part[] = [];
  fragments.forEach((item, index) => {
    if (index > 0) parts.push({ text: separator });
    parts.push(...item[FRAGMENT]);
  });
  return fragment(parts);
}

/** SQL text with its parameters, ready for a driver. */
export interface RenderedSql {
  /** The SQL text with placeholders (`?` for SQLite, `$1…` for PostgreSQL). */
  sql: string;
  /** The values to bind, in placeholder order. */
  params: unknown[];
}

/**
 * Renders a fragment with the dialect's placeholder style.
 *
 * @param placeholder - returns the placeholder for the 1-based parameter `index`.
 */
export function renderSql(item: SqlFragment, placeholder: (index: number) => string): RenderedSql {
  let text = '';
  const params: unknown[] = [];
  for (const part of item[FRAGMENT]) {
    if ('text' in part) text += part.text;
    else {
      params.push(part.value);
      text += placeholder(params.length);
    }
  }
  return { sql: text, params };
}
