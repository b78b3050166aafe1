// The public packages of the workspace, as the consumer matrix sees them: every package under
// packages/ that is not private, with its entry points (tools/typedoc/entry-points.mjs reads
// them from the `exports` map), bins and consumer hooks. A new public package is picked up
// without touching the matrix.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages } from '../typedoc/entry-points.mjs';

/**
 * @typedef {import('../typedoc/entry-points.mjs').EntryPoint} EntryPoint
 * @typedef {object} PublicPackage
 * @property {string} name e.g. `@scimkit/server`
 * @property {string} version
 * @property {string} dir absolute path of the package directory
 * @property {EntryPoint[]} entryPoints one per export subpath (`specifier`: `@scimkit/server/node`)
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
  return workspacePackages(root)
    .filter((pkg) => !pkg.private)
    .map(({ name, dir, manifest, entryPoints }) => {
      const bins =
        typeof manifest.bin === 'string' ? [name.split('/').pop()] : Object.keys(manifest.bin ?? {});
      return {
        name,
        version: manifest.version,
        dir,
        entryPoints,
        bins,
        smoke: join(dir, 'consumer-smoke.mjs'),
        binCheck: bins.length > 0 ? join(dir, 'consumer-bin.mjs') : undefined,
        peerDependencies: manifest.peerDependencies ?? {},
        devDependencies: manifest.devDependencies ?? {},
      };
    });
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
 * The file name `pnpm pack` gives a package's tarball: `scimkit-server-0.0.0.tgz`.
 * @param {{ name: string, version: string }} pkg
 */
export function tarballName(pkg) {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}
