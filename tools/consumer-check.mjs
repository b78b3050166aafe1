#!/usr/bin/env node
// Packaging gate: load the BUILT package by its public name with both `import` and `require`
// on this Node, as a consumer would. attw and publint miss a CJS build that requires an
// ESM-only dependency such as ky 1.x (esbuild's `__toESM(require('ky'))` hands back a namespace
// whose `.default` is not ky, so `ky.default.create is not a function` only at run time), so
// an optional consumer-smoke.mjs in the package can also call into the module:
// `export default async (mod, kind, subpath) => { ... }`.
//
// The check runs inside the package directory, where Node resolves the package's own name
// ("self-reference") without the @scimkit/source condition: exactly the dist files a
// consumer gets, with the package's real dependencies.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports ?? { '.': null }).filter((s) => s !== './package.json');

const script = `
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [id, sub] = process.argv.slice(1);
const require = createRequire(process.cwd() + '/package.json');
const esm = await import(id);
const cjs = require(id);
const esmKeys = Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort();
const cjsKeys = Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort();
if (esmKeys.length === 0) throw new Error('no exports');
if (esmKeys.join() !== cjsKeys.join()) throw new Error('import and require disagree: ' + esmKeys + ' / ' + cjsKeys);
if (existsSync('consumer-smoke.mjs')) {
  const smoke = (await import(pathToFileURL(process.cwd() + '/consumer-smoke.mjs').href)).default;
  await smoke(esm, 'import', sub);
  await smoke(cjs, 'require', sub);
}
console.log(esmKeys.length);
`;

let failures = 0;
for (const sub of subpaths) {
  const id = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, id, sub], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    console.log(`ok   ${id}: ${out.trim()} exports, identical under import and require`);
  } catch (error) {
    failures++;
    console.error(`FAIL ${id}\n${error.stderr ?? error}`);
  }
}
process.exit(failures ? 1 : 0);
