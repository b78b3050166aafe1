#!/usr/bin/env node
// node ../../tools/cts-type-imports.mjs <dependency>...   (in a package directory, after tsup)
//
// A CommonJS declaration file (dist/*.d.cts) that imports an ESM-only dependency such as ky 1.x
// fails to type-check in a "type": "commonjs" project under module node16/nodenext: TS1479
// "the referenced file is an ECMAScript module and cannot be imported with 'require'". attw
// and publint say green; the consumer matrix catches it. The CJS build bundles such a
// dependency's code (the tsup preset's `cjsNoExternal`), but tsup cannot bundle its types, so
// this rewrites each import of its types into a type-only import resolved as ESM, which
// TypeScript (5.3 and later) allows from CommonJS:
//   import { Hooks } from 'ky';  →  import type { Hooks } from 'ky' with { 'resolution-mode': 'import' };
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dependencies = process.argv.slice(2);
if (dependencies.length === 0) {
  console.error('usage: node cts-type-imports.mjs <dependency>...');
  process.exit(2);
}
const quoted = dependencies.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
const declaration = new RegExp(
  `^(import|export)(?: type)? (\\{[^}]*\\}|\\* as \\w+) from '((?:${quoted})(?:/[^']*)?)';$`,
  'gm',
);
const anyReference = new RegExp(`['"](?:${quoted})(?:/[^'"]*)?['"]`);

let changed = 0;
for (const file of readdirSync('dist', { recursive: true })) {
  if (!String(file).endsWith('.d.cts')) continue;
  const path = join('dist', String(file));
  const before = readFileSync(path, 'utf8');
  const after = before.replace(
    declaration,
    (_line, keyword, bindings, source) =>
      `${keyword} type ${bindings} from '${source}' with { 'resolution-mode': 'import' };`,
  );
  // Anything else (an `import('ky')` type, a default import) would still break: say so.
  const rest = after
    .split('\n')
    .filter((line) => !line.includes("with { 'resolution-mode': 'import' }") && anyReference.test(line));
  if (rest.length > 0) {
    console.error(
      `${path}: cannot rewrite these references to ${dependencies.join(', ')}:\n${rest.join('\n')}`,
    );
    process.exit(1);
  }
  if (after !== before) {
    writeFileSync(path, after);
    changed++;
  }
}
console.log(
  `cts-type-imports: ${changed} declaration file(s) import ${dependencies.join(', ')} as ESM types`,
);
