import { scimkitProject } from '../../tools/vitest-preset.ts';

export default scimkitProject('client');
