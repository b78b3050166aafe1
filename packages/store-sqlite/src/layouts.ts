/**
 * The storage layout of each resource type, and its attribute index kept in step with it: when
 * the indexed set changes (a new `indexedAttributes` option, a schema change), the type's index
 * rows are rebuilt at first use.
 */
import type { ScimResource } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import { type StorageLayout, storageLayout } from '@scimkit/sql/internal';
import type { SqliteContext } from './context.js';
import { writeValues } from './rows.js';

/** The layouts of a store's resource types, by type name. */
export class LayoutCache {
  readonly #context: Pick<SqliteContext, 'db' | 'statements'>;
  readonly #indexedAttributes: Readonly<Record<string, readonly string[]>> | undefined;
  readonly #layouts = new Map<string, StorageLayout>();

  constructor(
    context: Pick<SqliteContext, 'db' | 'statements'>,
    indexedAttributes: Readonly<Record<string, readonly string[]>> | undefined,
  ) {
    this.#context = context;
    this.#indexedAttributes = indexedAttributes;
  }

  /** The layout of a type; (re)builds its attribute index when the indexed set changed. */
  layout(type: StoreResourceType): StorageLayout {
    const cached = this.#layouts.get(type.name);
    if (cached && cached.resourceType === type) return cached;
    const extra = this.#indexedAttributes?.[type.name];
    const fresh = storageLayout(type, extra ? { indexedAttributes: extra } : {});
    if (this.#context.statements.indexConfig.get(type.name)?.config !== fresh.signature) {
      this.#context.db.transaction(() => this.#reindex(fresh)).immediate();
    }
    this.#layouts.set(type.name, fresh);
    return fresh;
  }

  /** Rebuilds a type's index rows, in batches: no write while a read statement is open. */
  #reindex(fresh: StorageLayout): void {
    const { statements } = this.#context;
    const typeName = fresh.resourceType.name;
    statements.deleteValuesOfType.run(typeName);
    let after = 0;
    for (;;) {
      const rows = statements.resourcesOfType.all(typeName, after);
      for (const row of rows)
        writeValues(this.#context, fresh, row.tenant, JSON.parse(row.data) as ScimResource, row.seq);
      const last = rows[rows.length - 1];
      if (!last) break;
      after = last.seq;
    }
    statements.saveIndexConfig.run(typeName, fresh.signature);
  }
}
