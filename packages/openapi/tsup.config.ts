import { scimkitTsup } from '../../tools/tsup-preset.ts';

export default scimkitTsup();
