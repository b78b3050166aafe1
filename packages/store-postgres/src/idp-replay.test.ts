import { createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { describeIdpReplay } from '@scimkit/test-utils';
import { openStore } from '../test/pg.js';

const TOKEN = 'replay-token-5f2c9e';

describeIdpReplay('PostgreSQL', async () => {
  const store = openStore();
  const running = await serveNode({ server: createScimServer({ store, auth: { tokens: [TOKEN] } }) });
  return {
    baseUrl: `${running.url}/scim/v2`,
    token: TOKEN,
    async close() {
      await running.close();
      await store.close();
    },
  };
});
