import { scimkitProject } from '../../tools/vitest-preset.ts';

// The browser tests start `scimkit serve --console` and drive headless Chromium.
export default scimkitProject('console', { testTimeout: 90_000 });
