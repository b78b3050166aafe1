import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup({ entry: { index: 'src/index.ts', bin: 'src/bin.ts' }, shebang: true });
