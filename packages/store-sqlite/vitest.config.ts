import { scimkitProject } from '../../tools/vitest-preset.ts';

export default scimkitProject('store-sqlite', { testTimeout: 30_000 });
