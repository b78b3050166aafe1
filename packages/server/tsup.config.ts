import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup({
  entry: {
    index: 'src/index.ts',
    node: 'src/adapters/node.ts',
    express: 'src/adapters/express.ts',
    hono: 'src/adapters/hono.ts',
  },
});
