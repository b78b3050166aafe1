import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { describeIdpReplay } from '@scimkit/test-utils';
import { createSqliteStore } from './index.js';

const TOKEN = 'replay-token-5f2c9e';

describeIdpReplay('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-replay-'));
  const store = createSqliteStore({ filename: path.join(dir, 'scim.db') });
  const running = await serveNode({ server: createScimServer({ store, auth: { tokens: [TOKEN] } }) });
  return {
    baseUrl: `${running.url}/scim/v2`,
    token: TOKEN,
    async close() {
      await running.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
