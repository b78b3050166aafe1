import { scimkitTsup } from '../../tools/tsup-preset.ts';

// Code splitting puts what the entries share (ScimError, the URNs) into one chunk, so
// `@scimkit/schema` and `@scimkit/schema/errors` hand out the same ScimError class and
// `instanceof` holds across them.
const options: ReturnType<typeof scimkitTsup> = scimkitTsup({
  entry: {
    index: 'src/index.ts',
    errors: 'src/entries/errors.ts',
  },
}).map((entry) => ({ ...entry, splitting: true }));

export default options;
