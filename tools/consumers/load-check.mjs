// Loads a package entry point the way a consumer project does, with both `import` and
// `require`, checks that both give the same named exports, and hands each to the package's
// consumer-smoke.mjs (`export default async (mod, kind, subpath) => …`), which makes a real
// call: a CommonJS build that requires an ESM-only dependency loads fine and fails only when
// called, while attw and publint say green. Shared by the packaging gate (consumer-check.mjs)
// and the consumer matrix (run.mjs).
import { execFile } from 'node:child_process';

// Run with `--input-type=module -e`, so that bare specifiers resolve from the working
// directory: the consumer project (or, in the gate, the package itself by self-reference).
const SCRIPT = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [id, subpath, smokeFile] = process.argv.slice(1);
const require = createRequire(process.cwd() + '/package.json');
const imported = await import(id);
const required = require(id);
const names = (mod, skip) => Object.keys(mod).filter((key) => !skip.includes(key)).sort();
const esmKeys = names(imported, ['default', 'module.exports']);
const cjsKeys = names(required, ['default', '__esModule']);
if (esmKeys.length === 0) throw new Error('no exports under import');
if (esmKeys.join() !== cjsKeys.join()) {
  throw new Error('import and require disagree: ' + esmKeys + ' / ' + cjsKeys);
}
if (smokeFile) {
  const smoke = (await import(pathToFileURL(smokeFile).href)).default;
  await smoke(imported, 'import', subpath);
  await smoke(required, 'require', subpath);
}
console.log(esmKeys.length);
`;

/**
 * Loads `id` from `cwd` with `import` and `require`, and runs `smoke` on both.
 * @param {{ cwd: string, id: string, subpath: string, smoke?: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ ok: boolean, detail: string }>} `detail`: the export count, or the error
 */
export function loadCheck({ cwd, id, subpath, smoke, env }) {
  const args = ['--input-type=module', '-e', SCRIPT, id, subpath, ...(smoke ? [smoke] : [])];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: env ?? process.env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) resolve({ ok: false, detail: (stderr || String(error)).trim() });
        else resolve({ ok: true, detail: `${stdout.trim()} exports, the same under import and require` });
      },
    );
  });
}
