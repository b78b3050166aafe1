// The public entry points of the workspace, derived from each package's package.json `exports`
// map, so a new package or a new subpath shows up in the docs and the example check by itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The condition whose target is a subpath's TypeScript source (see CONTRIBUTING.md). */
export const SOURCE_CONDITION = '@scimkit/source';

/**
 * @typedef {{ specifier: string, subpath: string, source: string, internal: boolean }} EntryPoint
 * @typedef {{ name: string, dir: string, private: boolean, manifest: Record<string, any>, entryPoints: EntryPoint[] }} WorkspacePackage
 */

/**
 * Every package under `packages/`, with the entry points its `exports` map declares (the
 * `@scimkit/source` target of each subpath). A subpath whose source opens with an `@internal`
 * comment (such as `@scimkit/schema/internal`) is marked internal.
 * @param {string} root the repository root
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(root = process.cwd()) {
  const packagesDir = resolve(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return {
        name: manifest.name,
        dir,
        private: manifest.private === true,
        manifest,
        entryPoints: entryPointsOf(dir, manifest),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The packages whose reference the site documents: published ones with at least one public
 * entry point.
 * @param {string} root
 */
export function documentedPackages(root = process.cwd()) {
  return workspacePackages(root).filter(
    (pkg) => !pkg.private && pkg.entryPoints.some((entry) => !entry.internal),
  );
}

/**
 * @param {string} dir
 * @param {Record<string, any>} manifest
 * @returns {EntryPoint[]}
 */
function entryPointsOf(dir, manifest) {
  const exportsMap = manifest.exports;
  if (!exportsMap || typeof exportsMap !== 'object') return [];
  const subpaths = Object.keys(exportsMap).some((key) => key.startsWith('.'))
    ? Object.entries(exportsMap)
    : [['.', exportsMap]];
  /** @type {EntryPoint[]} */
  const result = [];
  for (const [subpath, target] of subpaths) {
    const source = sourceTarget(target);
    if (!source) continue; // ./package.json and other non-code exports
    const file = resolve(dir, source);
    result.push({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      subpath,
      source: file,
      internal: isInternal(file),
    });
  }
  return result;
}

/** @param {unknown} target */
function sourceTarget(target) {
  if (target && typeof target === 'object' && typeof target[SOURCE_CONDITION] === 'string') {
    return target[SOURCE_CONDITION];
  }
  return undefined;
}

/** Whether the file's first doc comment (its `@packageDocumentation`) carries `@internal`. */
function isInternal(file) {
  if (!existsSync(file)) return false;
  const first = /\/\*\*[\s\S]*?\*\//.exec(readFileSync(file, 'utf8'));
  return first !== null && /@internal\b/.test(first[0]);
}
