// Links from the guides into the reference. A guide links a symbol as a relative link to the
// source file that declares or exports it, with the symbol's name as the anchor:
// `[serveNode](../packages/server/src/adapters/node.ts#serveNode)`. On GitHub that opens the
// source; on the site it opens the symbol's reference page. A link that names no exported
// symbol is reported (and fails the docs build, whose warnings are errors).
import { relative, sep } from 'node:path';
import { ReflectionKind } from 'typedoc';

const SOURCE_FILE = /\.(ts|mts|cts|tsx)$/;

/**
 * Points every relative link to `<package source>.ts#<name>` at the reference page of `<name>`,
 * and every link to an entry point's source (no anchor) at that entry point's module page.
 * @param {import('typedoc').Application} app
 * @param {import('typedoc').ProjectReflection} project
 * @param {import('./entry-points.mjs').WorkspacePackage[]} packages
 */
export function resolveSourceLinks(app, project, packages) {
  const modules = project.getReflectionsByKind(ReflectionKind.Module);
  const packageModule = new Map(
    packages.map((pkg) => [
      pkg,
      modules.find((module) => module.name === pkg.name && module.parent === project),
    ]),
  );
  const entryModule = new Map(
    packages.flatMap((pkg) =>
      pkg.entryPoints.map((entry) => [
        entry.source,
        modules.find((module) => module.name === entry.specifier),
      ]),
    ),
  );

  for (const [owner, parts] of displayPartLists(project)) {
    for (const part of parts) {
      if (part.kind !== 'relative-link' || typeof part.target !== 'number') continue;
      const path = project.files.resolvePath(part.target);
      if (!path || !SOURCE_FILE.test(path)) continue;
      if (!part.targetAnchor && typeof project.files.resolve(part.target, project) === 'object') continue;
      const pkg = packages.find((candidate) => path.startsWith(candidate.dir + sep));
      const scope = pkg && packageModule.get(pkg);
      const target = part.targetAnchor
        ? scope && findExport(scope, part.targetAnchor)
        : (entryModule.get(path) ??
          (pkg?.entryPoints.some((entry) => entry.source === path) ? scope : undefined));
      if (!target) {
        app.logger.warn(
          `${owner.getFriendlyFullName()} links to ${part.text}, which is neither an entry point nor ` +
            `a file and exported name of a documented package (${relative(process.cwd(), path)})`,
        );
        continue;
      }
      const key = `${path}::${part.targetAnchor ?? ''}`;
      project.files.registerReflectionPath(key, target);
      part.target = project.files.registerAbsolute(key).target;
      part.targetAnchor = undefined;
    }
  }
}

/**
 * The reflection a package exports under `name`: an export of one of its entry points, or of
 * the package itself when it has a single entry point.
 * @param {import('typedoc').DeclarationReflection} scope
 * @param {string} name
 */
function findExport(scope, name) {
  const direct = scope.getChildByName([name]);
  if (direct && !direct.kindOf(ReflectionKind.Module)) return direct;
  for (const child of scope.children ?? []) {
    if (!child.kindOf(ReflectionKind.Module)) continue;
    const found = child.getChildByName([name]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every list of display parts in the project that may hold a relative link, with its owner.
 * @param {import('typedoc').ProjectReflection} project
 * @returns {Generator<[import('typedoc').Reflection, import('typedoc').CommentDisplayPart[]]>}
 */
function* displayPartLists(project) {
  if (project.readme) yield [project, project.readme];
  for (const reflection of Object.values(project.reflections)) {
    if (reflection.isDocument()) yield [reflection, reflection.content];
    if ('readme' in reflection && reflection.readme) yield [reflection, reflection.readme];
    const comment = reflection.comment;
    if (!comment) continue;
    yield [reflection, comment.summary];
    for (const tag of comment.blockTags) yield [reflection, tag.content];
  }
}
