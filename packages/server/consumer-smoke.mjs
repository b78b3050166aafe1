// Called by tools/consumer-check.mjs with the BUILT package loaded through `import` and
// `require`: a real request through each entry point catches CJS/ESM interop bugs that attw
// and publint miss.
export default async (mod, kind, subpath) => {
  const headers = { authorization: 'Bearer smoke', 'content-type': 'application/scim+json' };
  const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'smoke' });
  if (subpath === '.') {
    const server = mod.createScimServer({ store: mod.createMemoryStore(), auth: { tokens: ['smoke'] } });
    const response = await server.fetch(
      new Request('http://x/scim/v2/Users', { method: 'POST', headers, body }),
    );
    if (response.status !== 201) throw new Error(`${kind}: POST /Users answered ${response.status}`);
    const list = await server.fetch(
      new Request('http://x/scim/v2/Users?filter=userName%20eq%20%22SMOKE%22', { headers }),
    );
    const page = await list.json();
    if (page.totalResults !== 1) throw new Error(`${kind}: filter found ${page.totalResults}`);
  } else if (subpath === './node') {
    const { createMemoryStore, createScimServer } = await import('@scimkit/server');
    const server = createScimServer({ store: createMemoryStore(), auth: { tokens: ['smoke'] } });
    const running = await mod.serveNode({ server });
    try {
      const response = await fetch(`${running.url}/scim/v2/Users`, { method: 'POST', headers, body });
      if (response.status !== 201) throw new Error(`${kind}: serveNode POST answered ${response.status}`);
    } finally {
      await running.close();
    }
  } else if (typeof Object.values(mod).find((value) => typeof value === 'function') !== 'function') {
    throw new Error(`${kind}: ${subpath} exports no function`);
  }
};
