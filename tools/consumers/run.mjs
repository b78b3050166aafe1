#!/usr/bin/env node
// The consumer matrix (`pnpm consumers`): what users install is what we test. Every public
// package is packed with `pnpm pack`, and the tarballs are installed with npm into scratch
// projects outside the workspace, resolving each other (never the registry, where this version
// may not exist). From there:
//   - TypeScript strict type-checks a file importing every export subpath, under node16 with
//     "type": "commonjs", nodenext ESM, and preserve/bundler (./typecheck.mjs);
//   - every subpath is loaded with import and require and a real call is made through it
//     (the package's consumer-smoke.mjs, via ./load-check.mjs);
//   - every bin runs from the install (the package's consumer-bin.mjs), once where every
//     package is installed and once from an install of its own package alone (no optional peers).
// Needs the packages built (`pnpm consumers` builds first). Options: --keep leaves the scratch
// directory in place. Exits non-zero when a check fails. See tools/consumers/README.md.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { binContext, killBins } from './bins.mjs';
import { loadCheck } from './load-check.mjs';
import { missingHooks, publicPackages, tarballName } from './packages.mjs';
import { MODES, typecheck, writeModeProjects } from './typecheck.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const keep = process.argv.includes('--keep');
const started = Date.now();
const seconds = () => `${Math.round((Date.now() - started) / 1000)}s`;

/** @type {{ name: string, ok: boolean, detail: string }[]} */
const results = [];
function report(name, ok, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok && detail ? `: ${detail}` : ''}`);
  if (!ok) console.log(indent(detail));
}
const indent = (text) =>
  text
    .trim()
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n');

const packages = publicPackages(root);
const missing = missingHooks(packages);
if (missing.length > 0) {
  for (const message of missing) console.error(`consumer matrix: ${message}`);
  process.exit(1);
}
for (const pkg of packages) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.error(`consumer matrix: ${pkg.name} is not built (run \`pnpm consumers\`, which builds first)`);
    process.exit(1);
  }
}

const env = npmEnvironment();
const scratch = mkdtempSync(join(tmpdir(), 'scimkit-consumers-'));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killBins();
    if (!keep) rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}
console.log(`consumer matrix: ${packages.map((pkg) => pkg.name).join(', ')}\n  in ${scratch}`);
try {
  await main();
} catch (error) {
  report('consumer matrix', false, error instanceof Error ? error.message : String(error));
} finally {
  if (keep) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
const failed = results.filter((result) => !result.ok);
console.log(
  `\nconsumer matrix: ${results.length - failed.length} passed, ${failed.length} failed (${seconds()})`,
);
for (const result of failed) console.log(`  failed: ${result.name}`);
process.exit(failed.length > 0 ? 1 : 0);

async function main() {
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  step('pnpm pack');
  execFileSync(
    'pnpm',
    [...packages.flatMap((pkg) => ['--filter', pkg.name]), 'pack', '--pack-destination', tarballs],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  /** Every tarball, as `file:` specs: dependencies and overrides, so they resolve each other. */
  const specs = Object.fromEntries(
    packages.map((pkg) => {
      const file = join(tarballs, tarballName(pkg));
      if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${file}`);
      return [pkg.name, `file:${file}`];
    }),
  );

  // One install with every package and every optional peer, shared by all module modes.
  step('npm install: every public package and their optional peers');
  const full = join(scratch, 'all');
  // TypeScript is the one the workspace builds with, for every package that asks for it (as the
  // workspace does: openapi-typescript 7 declares a typescript ^5 peer and works on 6).
  install(
    'every package',
    full,
    { ...specs, ...peerPins(packages), ...rootPins(['typescript', '@types/node']) },
    { ...specs, typescript: '$typescript' },
  );

  step('TypeScript, strict, every entry point');
  writeModeProjects(full, packages);
  // One tsc per mode, side by side: each is single-threaded.
  const checked = await Promise.all(MODES.map((mode) => typecheck(full, mode, env)));
  for (const [index, mode] of MODES.entries()) {
    report(`types ${mode.name}`, checked[index].ok, checked[index].detail);
  }

  step('import and require of every entry point, with a real call');
  const smokes = join(full, 'smoke');
  mkdirSync(smokes);
  for (const pkg of packages) {
    // A copy inside the project, so that what the smoke file imports resolves to the install.
    const smoke = join(smokes, `${tarballName(pkg)}.mjs`);
    copyFileSync(pkg.smoke, smoke);
    for (const { specifier, subpath } of pkg.entryPoints) {
      const result = await loadCheck({ cwd: full, id: specifier, subpath, smoke, env });
      report(`runtime ${specifier}`, result.ok, result.detail);
    }
  }

  for (const pkg of packages.filter((candidate) => candidate.binCheck)) {
    step(`${pkg.bins.join(', ')} from the install of every package`);
    await runBinChecks(pkg, full, false);
    // What `npm install ${pkg.name}` gives: its dependencies, none of its optional peers.
    step(`${pkg.bins.join(', ')} from an install of ${pkg.name} alone`);
    const alone = join(scratch, `${tarballName(pkg)}-alone`);
    install(`${pkg.name} alone`, alone, { [pkg.name]: specs[pkg.name] }, specs);
    await runBinChecks(pkg, alone, true);
  }
}

/** Runs the package's consumer-bin.mjs in `project`. */
async function runBinChecks(pkg, project, alone) {
  const { context, results: checks } = binContext({ project, alone, env });
  const hook = (await import(pathToFileURL(pkg.binCheck).href)).default;
  await hook(context);
  if (checks.length === 0) report(`${pkg.name} bin`, false, 'consumer-bin.mjs ran no check');
  for (const check of checks)
    report(`bin ${check.name}${alone ? ` (${pkg.name} alone)` : ''}`, check.ok, check.detail);
}

/** `npm install` into a new project with these dependencies, tarballs overriding the registry. */
function install(what, project, dependencies, overrides) {
  mkdirSync(project, { recursive: true });
  const manifest = { name: 'scimkit-consumer', private: true, dependencies, overrides };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const began = Date.now();
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    report(`npm install of ${what}`, true, `${Math.round((Date.now() - began) / 1000)}s`);
  } catch (error) {
    report(`npm install of ${what}`, false, `${error.stdout ?? ''}${error.stderr ?? error}`);
    throw new Error('npm install failed: nothing else can be checked');
  }
}

/**
 * What a consumer installs next to our optional peers, at the versions the packages test
 * against: for each peer dependency `x` that is not one of ours, the devDependency pin of `x`
 * and of `@types/x`.
 */
function peerPins(list) {
  const ours = new Set(list.map((pkg) => pkg.name));
  const pins = {};
  for (const pkg of list) {
    for (const peer of Object.keys(pkg.peerDependencies)) {
      if (ours.has(peer)) continue;
      for (const name of [peer, `@types/${peer}`]) {
        const version = pkg.devDependencies[name];
        if (version) pins[name] = version;
        else if (name === peer)
          throw new Error(`${pkg.name} has peer ${peer} but no devDependency pin for it`);
      }
    }
  }
  return pins;
}

/** The root package.json's pins of these tools (the TypeScript and Node types we build with). */
function rootPins(names) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.fromEntries(names.map((name) => [name, manifest.devDependencies[name]]));
}

/**
 * npm as a user runs it: none of pnpm's `npm_*` variables (this may run under `pnpm consumers`),
 * quiet, and node-gyp pointed at the running Node's own headers when they are installed
 * (better-sqlite3 compiles from source where no prebuilt binary can be downloaded).
 */
function npmEnvironment() {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(npm|pnpm)_/i.test(name) && name !== 'PNPM_PACKAGE_NAME',
    ),
  );
  const prefix = resolve(dirname(process.execPath), '..');
  const nodedir =
    process.env.npm_config_nodedir ??
    (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
  return {
    ...clean,
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function step(title) {
  console.log(`\n== ${title} (${seconds()})`);
}
