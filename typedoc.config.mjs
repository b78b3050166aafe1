// The documentation site: the hand-written guides (docs/), the examples and the API reference of
// every public entry point, in one typedoc site with one navigation and one search index.
// Packages and their entry points come from each package.json (tools/typedoc/entry-points.mjs);
// tools/typedoc/plugin.mjs explains what the plugin adds.
import { relative } from 'node:path';
import { OptionDefaults } from 'typedoc';
import { SCIM_SCHEMA_TAG } from './tools/typedoc/attribute-tables.mjs';
import { documentedPackages, workspacePackages } from './tools/typedoc/entry-points.mjs';

const root = process.cwd();

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'scimkit',
  entryPointStrategy: 'packages',
  entryPoints: documentedPackages(root).map((pkg) => relative(root, pkg.dir)),
  packageOptions: {
    disableSources: true,
    excludeInternal: true,
    // Read per package: `@scimSchema <urn>` asks for an attribute table (attribute-tables.mjs).
    blockTags: [...OptionDefaults.blockTags, SCIM_SCHEMA_TAG],
  },
  plugin: ['./tools/typedoc/plugin.mjs'],
  router: 'scimkit',
  readme: 'README.md',
  projectDocuments: [
    'docs/*.md',
    'docs/!(api)/**/*.md',
    'examples/**/README.md',
    'CONTRIBUTING.md',
    // Private packages have no reference pages, but contributors read their READMEs.
    ...workspacePackages(root)
      .filter((pkg) => pkg.private)
      .map((pkg) => `${relative(root, pkg.dir)}/README.md`),
  ],
  customCss: './tools/typedoc/site.css',
  searchInDocuments: true,
  groupOrder: ['Packages', 'Entry points', 'Contributing', '*'],
  navigation: { includeFolders: false, includeGroups: true },
  out: 'docs/api',
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  disableSources: true,
};
