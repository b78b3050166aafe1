import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup({
  entry: { index: 'src/index.ts', internal: 'src/entries/internal.ts' },
  splitting: true,
});
