import { scimkitTsup } from '../../tools/tsup-preset.ts';

// Code splitting puts what the entries share (ScimError, the URNs, the lookup caches) into
// chunks, so `@scimkit/schema` and its subpaths hand out the same ScimError class and
// `instanceof` holds across them.
const options: ReturnType<typeof scimkitTsup> = scimkitTsup({
  entry: {
    index: 'src/index.ts',
    errors: 'src/entries/errors.ts',
    internal: 'src/entries/internal.ts',
  },
}).map((entry) => ({ ...entry, splitting: true }));

export default options;
