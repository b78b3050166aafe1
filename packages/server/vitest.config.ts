import { scimkitProject } from '../../tools/vitest-preset.ts';

// Unit and HTTP tests on the sources; test/ holds the tests of the built package (vitest.built.config.ts).
export default scimkitProject('server', { include: ['src/**/*.test.ts'] });
