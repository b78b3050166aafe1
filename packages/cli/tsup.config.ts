import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';
import { scimkitTsup } from '../../tools/tsup-preset.ts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The shared preset, plus the package version for `scimkit --version`.
const config: Options[] = scimkitTsup({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  shebang: true,
}).map((options) => ({ ...options, define: { __SCIMKIT_CLI_VERSION__: JSON.stringify(version) } }));

export default config;
