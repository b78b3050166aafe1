// The public packages of the workspace, as the consumer matrix sees them: every package under
// packages/ that is not private, with its export subpaths, bins and consumer hooks. A new public
// package is picked up without touching the matrix.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} PublicPackage
 * @property {string} name e.g. `@scimkit/server`
 * @property {string} version
 * @property {string} dir absolute path of the package directory
 * @property {string[]} subpaths export subpaths, e.g. `['.', './node']` (never `./package.json`)
 * @property {string[]} bins names of the executables it installs
 * @property {string} smoke path of its `consumer-smoke.mjs` (a real call through each subpath)
 * @property {string | undefined} binCheck path of its `consumer-bin.mjs` (runs its bins)
 * @property {Record<string, string>} peerDependencies
 * @property {Record<string, string>} devDependencies
 */

/**
 * Every public package under `<root>/packages`, sorted by name.
 * @param {string} root the workspace root
 * @returns {PublicPackage[]}
 */
export function publicPackages(root) {
  const found = [];
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, 'packages', entry.name);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const bins =
      typeof manifest.bin === 'string' ? [manifest.name.split('/').pop()] : Object.keys(manifest.bin ?? {});
    found.push({
      name: manifest.name,
      version: manifest.version,
      dir,
      subpaths: Object.keys(manifest.exports ?? { '.': null }).filter(
        (subpath) => subpath !== './package.json',
      ),
      bins,
      smoke: join(dir, 'consumer-smoke.mjs'),
      binCheck: bins.length > 0 ? join(dir, 'consumer-bin.mjs') : undefined,
      peerDependencies: manifest.peerDependencies ?? {},
      devDependencies: manifest.devDependencies ?? {},
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What the matrix needs from each package before it can vouch for it: a `consumer-smoke.mjs`
 * that makes a real call through every subpath, and a `consumer-bin.mjs` when it installs a
 * command. Returns one message per missing file.
 * @param {PublicPackage[]} packages
 * @returns {string[]}
 */
export function missingHooks(packages) {
  const missing = [];
  for (const pkg of packages) {
    if (!existsSync(pkg.smoke)) {
      missing.push(
        `${pkg.name} has no consumer-smoke.mjs: add one that makes a real call through each export subpath (see tools/consumers/README.md)`,
      );
    }
    if (pkg.binCheck && !existsSync(pkg.binCheck)) {
      missing.push(`${pkg.name} installs ${pkg.bins.join(', ')} but has no consumer-bin.mjs to run it`);
    }
  }
  return missing;
}

/**
 * The module specifier a consumer writes for a subpath: `@scimkit/server` for `.`,
 * `@scimkit/server/node` for `./node`.
 * @param {string} name
 * @param {string} subpath
 */
export function specifier(name, subpath) {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
}

/**
 * The file name `pnpm pack` gives a package's tarball: `scimkit-server-0.0.0.tgz`.
 * @param {{ name: string, version: string }} pkg
 */
export function tarballName(pkg) {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}
