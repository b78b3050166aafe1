// scimkit's typedoc plugin: one site for the guides and the reference (see typedoc.config.mjs).
// - every entry point of a package comes from its package.json `exports` (entry-points.mjs);
// - a module is named by its import specifier, and a package's main entry merges into the
//   package page, its subpaths (`@scimkit/server/node`) listed under it;
// - documents are titled, grouped and nested like the repository (documents.mjs);
// - guides link symbols through their source files (source-links.mjs);
// - resource types get attribute tables from the schema definitions (attribute-tables.mjs);
// - documents keep their repository paths as URLs (`docs/server.html`).
import { relative } from 'node:path';
import { Application, Comment, CommentTag, Converter, KindRouter, ReflectionKind } from 'typedoc';
import { loadDefinitions, renderAttributeTables } from './attribute-tables.mjs';
import { appendExampleSources, nameDocument, nestDocuments } from './documents.mjs';
import { workspacePackages } from './entry-points.mjs';
import { resolveSourceLinks } from './source-links.mjs';

/** @param {import('typedoc').Application} app */
export async function load(app) {
  const root = process.cwd();
  const packages = workspacePackages(root);
  const entries = new Map(packages.flatMap((pkg) => pkg.entryPoints.map((entry) => [entry.source, entry])));
  const schemaEntry = packages.find((pkg) => pkg.name === '@scimkit/schema')?.entryPoints[0]?.source;
  const schema = schemaEntry ? await loadDefinitions(schemaEntry) : undefined;

  // typedoc reads options once per package directory: derive its entry points there.
  app.options.addReader({
    name: 'scimkit-exports',
    order: 900,
    supportsPackages: true,
    read(container, _logger, cwd) {
      const pkg = packages.find((candidate) => candidate.dir === cwd);
      if (!pkg) return;
      const publicEntries = pkg.entryPoints.filter((entry) => !entry.internal);
      container.setValue(
        'entryPoints',
        publicEntries.map((entry) => relative(cwd, entry.source)),
        cwd,
      );
    },
  });

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const entry = file && entries.get(file);
    if (entry) reflection.name = entry.specifier;
  });

  // Before typedoc's @mergeModuleWith handling (priority 10000): the main entry of a package
  // with subpaths becomes the package page itself, keeping its @packageDocumentation.
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
        if (module.parent !== context.project || !entries.get(sourceOf(context, module))) continue;
        if (entries.get(sourceOf(context, module)).subpath !== '.') continue;
        context.project.comment ??= module.comment?.clone();
        module.comment ??= new Comment();
        module.comment.blockTags.push(
          new CommentTag('@mergeModuleWith', [{ kind: 'text', text: '<project>' }]),
        );
      }
    },
    20_000,
  );

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, doc) => {
    nameDocument(doc, root);
    appendExampleSources(doc, root);
  });

  // Once the packages are merged, the documents added and the README read (priority 0);
  // before typedoc groups reflections (-100) and resolves links (-300).
  app.on(
    Application.EVENT_PROJECT_REVIVE,
    (project) => {
      dropTitleHeading(project);
      groupModules(project);
      nestDocuments(project);
      resolveSourceLinks(app, project, packages);
      if (schema) renderAttributeTables(app, project, schema);
    },
    -50,
  );

  app.renderer.defineRouter('scimkit', RepositoryPathRouter);
}

/**
 * The landing page shows the project name as its title: the README's own `# scimkit` heading
 * would repeat it.
 * @param {import('typedoc').ProjectReflection} project
 */
function dropTitleHeading(project) {
  const first = project.readme?.[0];
  if (first?.kind !== 'text') return;
  const heading = `# ${project.name}\n`;
  if (first.text.startsWith(heading)) first.text = first.text.slice(heading.length);
}

/**
 * Packages are listed as "Packages", and the subpaths of a package as its "Entry points".
 * @param {import('typedoc').ProjectReflection} project
 */
function groupModules(project) {
  for (const module of project.getReflectionsByKind(ReflectionKind.Module)) {
    module.comment ??= new Comment();
    const group = module.parent === project ? 'Packages' : 'Entry points';
    module.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
    // Each package was grouped when it was converted on its own: group it again.
    if (module.parent === project) delete module.groups;
  }
}

/**
 * @param {import('typedoc').Context} context
 * @param {import('typedoc').DeclarationReflection} module
 */
function sourceOf(context, module) {
  return context.getSymbolFromReflection(module)?.declarations?.[0]?.getSourceFile().fileName ?? '';
}

/** typedoc's default router, except that a document's URL is its path in the repository. */
class RepositoryPathRouter extends KindRouter {
  getIdealBaseName(reflection) {
    const path = reflection.isDocument() && reflection.project.files.getReflectionPath(reflection);
    if (!path) return super.getIdealBaseName(reflection);
    return relative(process.cwd(), path)
      .replace(/\.md$/, '')
      .replace(/(^|\/)README$/, '$1index')
      .split('/')
      .map((segment) => segment.replace(/[^\w.-]/g, '_'))
      .join('/');
  }
}
