#!/usr/bin/env node
// Lint gate: no import cycle between the source files of one package, type-only imports and
// re-exports included (a cycle through `import type` still ties two modules together).
// Cycles between packages cannot happen: pnpm and turbo reject a cyclic workspace graph.
//
// Uses the TypeScript compiler's own pre-processor to list each file's imports, so every
// import form counts and no extra dependency is needed. Usage:
//   node tools/check-cycles.mjs [package-dir…]   (default: every packages/*)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/** Every .ts file under `dir`, tests and fixtures included (they must not close cycles either). */
function sourceFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The files of the package that `file` imports by relative specifier (`./x.js` is `./x.ts`). */
function localImports(file, known) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const found = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const candidates = [base, base.replace(/\.[cm]?js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
    const target = candidates.find((candidate) => known.has(candidate));
    if (target) found.push(target);
  }
  return found;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const result = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node).includes(node)) result.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return result;
}

const packages =
  process.argv.length > 2
    ? process.argv.slice(2).map((dir) => resolve(dir))
    : readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));

let failures = 0;
for (const dir of packages) {
  const src = join(dir, 'src');
  if (!existsSync(src)) continue;
  const files = sourceFiles(src);
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, localImports(file, known)]));
  for (const component of cycles(graph)) {
    failures++;
    console.error(
      `import cycle in ${relative(root, dir)}: ${component.map((file) => relative(src, file)).join(' ↔ ')}`,
    );
  }
}
if (failures > 0) process.exit(1);
console.log(`no import cycles in ${packages.length} packages`);
