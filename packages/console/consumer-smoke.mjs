// Called by tools/consumer-check.mjs with the BUILT package, once under import and once under
// require: the console must record a whole demo run (which calls the client, and so ky, from
// the CJS build too) and serve its page.
import { createMemoryStore, createScimServer } from '@scimkit/server';

export default async (mod, kind, subpath) => {
  if (subpath === './node') {
    const { createScimConsole } = await import('@scimkit/console');
    const running = await mod.serveConsole({ console: createScimConsole() });
    try {
      const page = await fetch(running.url);
      if (page.status !== 200 || !(await page.text()).includes('console.js'))
        throw new Error(`${kind}: page ${page.status}`);
    } finally {
      await running.close();
    }
    return;
  }
  const token = 'consumer-smoke-token-0123456789';
  const scimConsole = mod.createScimConsole({ demo: { token } });
  scimConsole.observe(
    createScimServer(scimConsole.serverOptions({ store: createMemoryStore(), auth: { tokens: [token] } })),
  );
  await scimConsole.runDemo({ hardDelete: true });
  if (scimConsole.demo.error) throw new Error(`${kind}: demo failed: ${scimConsole.demo.error}`);
  for (let i = 0; i < 100 && scimConsole.history.length < 11; i++)
    await new Promise((r) => setTimeout(r, 10));
  const statuses = scimConsole.history
    .since()
    .map((record) => record.status)
    .join(' ');
  if (statuses !== '200 200 200 201 201 200 200 200 200 204 404')
    throw new Error(`${kind}: recorded ${statuses}`);
};
