#!/usr/bin/env node
// Size budget for a minimal import of the client, as a browser bundle would pay for it:
// `import { createScimClient } from '@scimkit/client'` bundled with its dependencies
// (ky, and what it uses of @scimkit/schema and @scimkit/filter), minified, brotli-compressed.
// size-limit is not installed; esbuild comes with tsup, so resolve it from there.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

/** Budget in bytes (min + brotli). Measured 2026-11-28: 10.9 kB, of which ky is 4.5 kB. */
const BUDGET = 12 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromTsup = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'));
const esbuild = requireFromTsup('esbuild');

const result = await esbuild.build({
  stdin: {
    contents: "import { createScimClient } from './dist/index.js';\nexport { createScimClient };\n",
    resolveDir: root,
    sourcefile: 'size-entry.js',
    loader: 'js',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // Workspace packages resolve to their built dist (no @scimkit/source condition).
  conditions: ['import', 'module', 'browser', 'default'],
  write: false,
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
const line = `@scimkit/client createScimClient: ${kB(brotli)} min+brotli (${kB(code.length)} minified), budget ${kB(BUDGET)}`;
if (brotli > BUDGET) {
  console.error(`FAIL ${line}`);
  process.exit(1);
}
console.log(`ok   ${line}`);
