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
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCheck } from './consumers/load-check.mjs';
import { specifier } from './consumers/packages.mjs';

const dir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports ?? { '.': null }).filter((s) => s !== './package.json');
const smoke = join(dir, 'consumer-smoke.mjs');

let failures = 0;
for (const subpath of subpaths) {
  const id = specifier(pkg.name, subpath);
  const result = await loadCheck({ cwd: dir, id, subpath, ...(existsSync(smoke) ? { smoke } : {}) });
  if (result.ok) console.log(`ok   ${id}: ${result.detail}`);
  else {
    failures++;
    console.error(`FAIL ${id}\n${result.detail}`);
  }
}
process.exit(failures ? 1 : 0);
