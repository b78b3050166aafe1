import { scimkitTsup } from '../../tools/tsup-preset.ts';

// `./internal` shares the sequences and the HTTP layer with the main entry: one copy of each.
export default scimkitTsup({
  entry: { index: 'src/index.ts', internal: 'src/entries/internal.ts' },
  splitting: true,
});
