#!/usr/bin/env node
// Packaging gate (`pnpm gates`): load the BUILT package by its public name with both `import`
// and `require` on this Node, and run its consumer-smoke.mjs on each, as a consumer would.
// attw and publint miss a CJS build that requires an ESM-only dependency such as ky 1.x
// (esbuild's `__toESM(require('ky'))` hands back a namespace whose `.default` is not ky, so
// `ky.default.create is not a function` only at run time); the smoke file's real call does not.
//
// The check runs inside the package directory, where Node resolves the package's own name
// ("self-reference") without the @scimkit/source condition: exactly the dist files a consumer
// gets, with the workspace's copies of its dependencies. The consumer matrix
// (tools/consumers/run.mjs) runs the same check from `pnpm pack` tarballs installed with npm.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCheck } from './consumers/load-check.mjs';
import { workspacePackages } from './typedoc/entry-points.mjs';

const dir = resolve(process.argv[2] ?? '.');
const pkg = workspacePackages(resolve(dir, '../..')).find((candidate) => candidate.dir === dir);
if (!pkg) throw new Error(`${dir} is not a package under packages/`);
const smoke = join(dir, 'consumer-smoke.mjs');

let failures = 0;
for (const { specifier, subpath } of pkg.entryPoints) {
  const result = await loadCheck({
    cwd: dir,
    id: specifier,
    subpath,
    ...(existsSync(smoke) ? { smoke } : {}),
  });
  if (result.ok) console.log(`ok   ${specifier}: ${result.detail}`);
  else {
    failures++;
    console.error(`FAIL ${specifier}\n${result.detail}`);
  }
}
process.exit(failures ? 1 : 0);
