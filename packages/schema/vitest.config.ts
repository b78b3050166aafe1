import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { scimkitProject } from '../../tools/vitest-preset.ts';

// The RFC 7643 examples live in the private @scimkit/test-utils package. Schema does not list it
// as a devDependency yet (that needs a lockfile change), so tests resolve it by name here and
// through `paths` in tsconfig.json.
export default mergeConfig(scimkitProject('schema', { typecheck: true }), {
  resolve: {
    alias: { '@scimkit/test-utils': fileURLToPath(new URL('../test-utils/src/index.ts', import.meta.url)) },
  },
});
