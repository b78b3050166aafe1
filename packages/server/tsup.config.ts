import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup({
  entry: {
    index: 'src/index.ts',
    node: 'src/adapters/node.ts',
    express: 'src/adapters/express.ts',
    hono: 'src/adapters/hono.ts',
  },
  // One copy of the code the entries share (src/internal/http.ts) per format. What the Node
  // adapter needs of a server lives on the server object itself (see attachCore), so that it
  // also works across formats (`import` of one entry, `require` of another).
  splitting: true,
});
