// Called by tools/consumer-check.mjs with the BUILT package, once as loaded by `import` and
// once by `require`: real checks against scimkit's server (in-process, through `fetch`) prove
// that the client they create fixtures with (ky, bundled into its CJS build) runs, not just loads.
import { createMemoryStore, createScimServer } from '@scimkit/server';

export default async (mod, kind, subpath) => {
  const server = createScimServer({ store: createMemoryStore(), auth: { tokens: ['smoke'] } });
  const fetch = (input, init) => server.fetch(new Request(input, init));
  const url = 'http://scim.test/scim/v2';
  if (subpath === './internal') {
    const http = new mod.Http({ baseUrl: url, token: 'smoke', fetch });
    await mod.runSequence(mod.oktaSequence, { http, prefix: `smoke-${kind}` });
    return;
  }
  const report = await mod.runChecks({ url, token: 'smoke', fetch, only: ['users', 'patch.replace'] });
  const failed = report.results.filter((result) => result.status !== 'passed');
  if (!report.ok || failed.length > 0 || report.results.length < 5) {
    throw new Error(
      `${kind}: unexpected report ${JSON.stringify(failed.map((result) => result.failure ?? result))}`,
    );
  }
  if (!mod.toJUnit(report).startsWith('<?xml')) throw new Error(`${kind}: toJUnit wrote no XML`);
};
