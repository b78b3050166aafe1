/**
 * The value the store-postgres global setup (vitest.config.ts) provides to every test file:
 * the connection string of its scratch PostgreSQL (or SCIMKIT_PG_URL).
 */
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
