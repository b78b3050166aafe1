/**
 * Named (prepared) statements: PostgreSQL parses a named statement once per connection and
 * keeps its plan, so the store's fixed statements (a row by key, the locking read of a write,
 * a member slice, the page of an `eq` lookup) are not planned again at every call. Planning one
 * of them costs about as much as running it.
 */
import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/** A statement run by name on each connection once it has been prepared there. */
export interface NamedStatement {
  name: string;
  text: string;
}

/** Statement text or a named statement, as a `Runner` takes it. */
export type Statement = string | NamedStatement;

/**
 * Most distinct texts one store names: each of its connections may end up holding every one
 * of them prepared, so query texts built from many filter shapes (a client can send any) stop
 * being named past this, and run unnamed.
 */
const MAX_NAMED = 256;

/**
 * `text` as a named statement of the store (unless its `preparedStatements` option is false:
 * then as is). The name is a digest of the text, so two stores on one pool (two schemas) never
 * give one name to two texts.
 */
export function named(
  store: { readonly statementNames: Map<string, string> | undefined },
  text: string,
): Statement {
  const names = store.statementNames;
  if (names === undefined) return text;
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return text;
    name = `scimkit_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return { name, text };
}

/** The `pg` query config of a statement and its parameters. */
export function queryConfig(statement: Statement, params: unknown[] | undefined): QueryConfig {
  const config: QueryConfig = typeof statement === 'string' ? { text: statement } : { ...statement };
  if (params !== undefined) config.values = params;
  return config;
}
