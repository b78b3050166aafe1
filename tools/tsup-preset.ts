import type { Options } from 'tsup';

/** Options of the shared tsup preset. */
export interface PresetOptions {
  /** Entry points, relative to the package: defaults to `{ index: 'src/index.ts' }`. */
  entry?: Record<string, string>;
  /**
   * ESM-only dependencies that must be bundled into the CJS build: a CJS file that
   * `require`s an ESM-only package such as ky 1.x breaks at run time on Node 20 (esbuild's
   * `__toESM(require('ky'))` yields a namespace whose `.default` is not ky), while attw and
   * publint both say green; tools/consumer-check.mjs calls the built CJS to catch it. tsup
   * cannot bundle their types, so the package's build script also runs
   * `tools/cts-type-imports.mjs` on them (else its `.d.cts` fails under node16 CommonJS).
   */
  cjsNoExternal?: string[];
  /** Adds a `#!/usr/bin/env node` banner for executables. */
  shebang?: boolean;
  /** Build ESM only (for private or bin-only packages). */
  esmOnly?: boolean;
  /**
   * Put code that several entries share into chunks, so that every subpath hands out the same
   * classes (`instanceof` holds across `@scimkit/schema` and `@scimkit/schema/errors`).
   */
  splitting?: boolean;
}

/**
 * The one way every scimkit package builds: ESM + CJS + d.ts/d.cts for Node 20.19+.
 * Declarations are built against the other packages' built d.ts (tsconfig.build.json
 * drops the `@scimkit/source` condition), so turbo builds dependencies first.
 */
export function scimkitTsup(options: PresetOptions = {}): Options[] {
  const base: Options = {
    entry: options.entry ?? { index: 'src/index.ts' },
    target: 'node20',
    platform: 'neutral',
    sourcemap: true,
    dts: true,
    splitting: options.splitting ?? false,
    treeshake: true,
    tsconfig: 'tsconfig.build.json',
    ...(options.shebang ? { banner: { js: '#!/usr/bin/env node' } } : {}),
  };
  const esm: Options = { ...base, format: ['esm'], clean: true };
  if (options.esmOnly) return [esm];
  const cjs: Options = {
    ...base,
    format: ['cjs'],
    clean: false,
    ...(options.cjsNoExternal ? { noExternal: options.cjsNoExternal } : {}),
  };
  if (!options.cjsNoExternal) return [{ ...base, format: ['esm', 'cjs'], clean: true }];
  return [esm, cjs];
}
