import { scimkitProject } from '../../tools/vitest-preset.ts';

// The adapters as users install them: dist/, through `import` and `require` (run `pnpm build` first).
export default scimkitProject('server-built', { built: true, include: ['test/**/*.test.ts'] });
