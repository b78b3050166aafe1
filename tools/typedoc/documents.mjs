// The markdown documents of the site (guides, examples, contributor notes): their titles, their
// place in the navigation, the source code of each example, and links to directories.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/**
 * The navigation group of a document that no README.md nests (see {@link nestDocuments}): the
 * README.md of a top directory (`docs/`: the guides, `examples/`) stands at the top of the
 * navigation (typedoc's `none` group); other documents are for contributors.
 * @param {string} path the document's path relative to the repository root
 */
export function documentGroup(path) {
  const parts = path.split(sep);
  return parts.length === 2 && parts[1] === 'README.md' ? 'none' : 'Contributing';
}

/**
 * Names a new document after its first `# heading` (without backticks) and puts it in its
 * navigation group.
 * @param {import('typedoc').DocumentReflection} doc
 * @param {string} root
 */
export function nameDocument(doc, root) {
  const path = doc.project.files.getReflectionPath(doc);
  if (!path) return;
  const heading = /^#\s+(.+)$/m.exec(doc.content.map((part) => part.text).join(''));
  if (heading) doc.name = heading[1].replaceAll('`', '').trim();
  doc.frontmatter.group ??= documentGroup(relative(root, path));
}

/**
 * Shows the sources of an example (its `src/*.ts` files, tests excepted) below its README, so
 * the site carries the code the README describes.
 * @param {import('typedoc').DocumentReflection} doc
 * @param {string} root
 */
export function appendExampleSources(doc, root) {
  const path = doc.project.files.getReflectionPath(doc);
  if (!path || basename(path) !== 'README.md') return;
  const dir = dirname(path);
  if (relative(root, dirname(dir)) !== 'examples') return;
  const src = join(dir, 'src');
  let files;
  try {
    files = readdirSync(src).filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file));
  } catch {
    return;
  }
  doc.content.push({ kind: 'text', text: '\n\n## Source\n' });
  for (const file of files.sort()) {
    const code = readFileSync(join(src, file), 'utf8').trimEnd();
    doc.content.push({ kind: 'text', text: `\n### src/${file}\n\n` });
    doc.content.push({ kind: 'code', text: `\`\`\`ts\n${code}\n\`\`\`` });
  }
}

/**
 * Nests documents the way the repository nests them: a document becomes a child of the
 * README.md of its directory (a README.md, of the README.md of the nearest directory above
 * it), ordered as that README links them. A link to a directory opens its README.md.
 * @param {import('typedoc').ProjectReflection} project
 */
export function nestDocuments(project) {
  const docs = (project.documents ?? []).map((doc) => ({ doc, path: project.files.getReflectionPath(doc) }));
  const readmes = new Map(
    docs
      .filter(({ path }) => path && basename(path) === 'README.md')
      .map(({ doc, path }) => [dirname(path), doc]),
  );
  for (const [dir, readme] of readmes) {
    project.files.registerReflectionPath(dir, readme);
    project.files.registerReflectionPath(`${dir}/`, readme);
  }
  for (const { doc, path } of docs) {
    if (!path) continue;
    let dir = basename(path) === 'README.md' ? dirname(dirname(path)) : dirname(path);
    let parent;
    while (!parent && dir !== dirname(dir)) {
      parent = readmes.get(dir);
      dir = dirname(dir);
    }
    if (parent) moveDocument(project, doc, parent);
  }
  for (const readme of readmes.values()) orderByLinks(project, readme);
}

/**
 * @param {import('typedoc').ProjectReflection} project
 * @param {import('typedoc').DocumentReflection} doc
 * @param {import('typedoc').DocumentReflection} parent
 */
function moveDocument(project, doc, parent) {
  const without = (list) => list?.filter((child) => child !== doc);
  project.documents = without(project.documents);
  project.childrenIncludingDocuments = without(project.childrenIncludingDocuments);
  const siblings = project.reflectionChildren.get(project.id);
  siblings.splice(siblings.indexOf(doc.id), 1);
  project.reflectionChildren.get(parent.id).push(doc.id);
  doc.parent = parent;
  parent.addChild(doc);
}

/**
 * Orders a README's child documents as the README first links them; unlinked ones last, by name.
 * @param {import('typedoc').ProjectReflection} project
 * @param {import('typedoc').DocumentReflection} readme
 */
function orderByLinks(project, readme) {
  if (!readme.children) return;
  /** @type {Map<number, number>} */
  const firstLink = new Map();
  readme.content.forEach((part, index) => {
    if (part.kind !== 'relative-link' || typeof part.target !== 'number') return;
    const target = project.files.resolve(part.target, project);
    if (typeof target === 'object' && !firstLink.has(target.id)) firstLink.set(target.id, index);
  });
  const rank = (doc) => firstLink.get(doc.id) ?? Number.MAX_SAFE_INTEGER;
  readme.children.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
