// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: a SQLite file behind the server, written and read back
// through the native better-sqlite3 addon the install compiled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async (mod, kind) => {
  const { createScimServer } = await import('@scimkit/server');
  const directory = mkdtempSync(join(tmpdir(), 'scimkit-sqlite-smoke-'));
  const store = mod.createSqliteStore({ filename: join(directory, 'scim.db') });
  try {
    const server = createScimServer({ store, auth: { tokens: ['smoke'] } });
    const headers = { authorization: 'Bearer smoke', 'content-type': 'application/scim+json' };
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'smoke',
    });
    const created = await server.fetch(
      new Request('http://x/scim/v2/Users', { method: 'POST', headers, body }),
    );
    if (created.status !== 201) throw new Error(`${kind}: POST /Users answered ${created.status}`);
    const list = await server.fetch(
      new Request('http://x/scim/v2/Users?filter=userName%20eq%20%22SMOKE%22', { headers }),
    );
    const page = await list.json();
    if (page.totalResults !== 1) throw new Error(`${kind}: the filter found ${page.totalResults}`);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
};
