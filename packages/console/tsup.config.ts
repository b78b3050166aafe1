import { scimkitTsup } from '../../tools/tsup-preset.ts';

// The browser page is not built here: ui/ is plain JavaScript, embedded as strings into
// src/ui-assets.generated.ts by scripts/embed-ui.mjs (the build checks that the embedding is current).
export default scimkitTsup({ entry: { index: 'src/index.ts', node: 'src/node.ts' }, splitting: true });
