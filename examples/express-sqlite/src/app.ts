import { createHash, timingSafeEqual } from 'node:crypto';
import { createScimServer, type ScimEvent } from '@scimkit/server';
import { scimExpress } from '@scimkit/server/express';
import { createSqliteStore } from '@scimkit/store-sqlite';
import express, { type Express } from 'express';

/** One line of the audit log. */
export interface AuditEntry {
  action: 'created' | 'replaced' | 'patched' | 'deactivated' | 'deleted';
  resourceType: string;
  id: string;
  tenant: string | undefined;
}

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The SQLite database file. */
  filename: string;
  /** Bearer tokens, one per identity provider connection, each mapped to a tenant. */
  tokens: Record<string, string>;
  /** Where audit entries go. */
  audit: (entry: AuditEntry) => void;
}

/**
 * An existing Express app that gains `/scim/v2`: each identity provider connection has its own
 * token and tenant, data lives in SQLite, and every change lands in an audit log.
 */
export function createApp(options: AppOptions): { app: Express; close: () => Promise<void> } {
  const store = createSqliteStore({ filename: options.filename });
  const sha256 = (text: string) => createHash('sha256').update(text).digest();
  const connections = Object.entries(options.tokens).map(([token, tenant]) => ({
    digest: sha256(token),
    tenant,
  }));
  const record =
    (action: AuditEntry['action']) =>
    ({ resourceType, id, principal }: ScimEvent) =>
      options.audit({ action, resourceType, id, tenant: principal.tenant });

  const scim = createScimServer({
    store,
    auth: {
      // Map each connection's token to its tenant (stores keep tenants apart). Digests of equal
      // length compared with timingSafeEqual leak nothing about the tokens through timing.
      verify: (token) => {
        const digest = sha256(token);
        const match = connections.find((connection) => timingSafeEqual(connection.digest, digest));
        return match ? { id: `idp:${match.tenant}`, tenant: match.tenant } : undefined;
      },
    },
    onCreated: record('created'),
    onReplaced: record('replaced'),
    onPatched: record('patched'),
    onDeactivated: record('deactivated'),
    onDeleted: record('deleted'),
  });

  const app = express();
  app.get('/health', (_request, response) => {
    response.json({ ok: true });
  });
  app.use(scimExpress(scim));
  return { app, close: () => store.close() };
}
