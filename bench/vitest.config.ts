import { scimkitProject } from '../tools/vitest-preset.ts';

// The benchmark measures the built packages, so its like-with-like checks load them too.
export default scimkitProject('bench', { built: true });
