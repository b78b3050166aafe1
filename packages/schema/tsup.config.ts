import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup({
  entry: { index: 'src/index.ts', errors: 'src/entries/errors.ts', internal: 'src/entries/internal.ts' },
  splitting: true,
});
