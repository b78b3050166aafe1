// Attribute tables on resource type pages, generated from the schema definitions (the data the
// server validates with), so the reference cannot drift from the behaviour. A type opts in with
// `@scimSchema <schema URN>` in its TSDoc; its page then lists every attribute and
// sub-attribute with type, required, mutability, returned, uniqueness and the RFC section.
import { pathToFileURL } from 'node:url';
import { Comment } from 'typedoc';

export const SCIM_SCHEMA_TAG = '@scimSchema';

const RFC7643 = 'https://www.rfc-editor.org/rfc/rfc7643';
const COMMON_SECTION = '3.1';

/**
 * Where RFC 7643 (and RFC 9865 for `pagination`) defines the attributes of each schema.
 * @type {Record<string, (attribute: { name: string, multiValued: boolean }) => string>}
 */
const RFC_SECTIONS = {
  'urn:ietf:params:scim:schemas:core:2.0:User': (a) => (a.multiValued ? '4.1.2' : '4.1.1'),
  'urn:ietf:params:scim:schemas:core:2.0:Group': () => '4.2',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': () => '4.3',
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig': (a) =>
    a.name === 'pagination' ? '9865' : '5',
  'urn:ietf:params:scim:schemas:core:2.0:ResourceType': () => '6',
  'urn:ietf:params:scim:schemas:core:2.0:Schema': () => '7',
};

/**
 * Loads the schema definitions and the common attributes from the package's TypeScript source
 * (through tsx, so the docs need no build).
 * @param {string} schemaEntry path of `@scimkit/schema`'s main source file
 */
export async function loadDefinitions(schemaEntry) {
  const { tsImport } = await import('tsx/esm/api');
  const schema = await tsImport(pathToFileURL(schemaEntry).href, import.meta.url);
  const definitions = new Map();
  for (const [name, value] of Object.entries(schema)) {
    if (
      value &&
      typeof value === 'object' &&
      typeof value.id === 'string' &&
      Array.isArray(value.attributes)
    ) {
      definitions.set(value.id, { exportName: name, definition: value });
    }
  }
  return { definitions, commonAttributes: schema.commonAttributes };
}

/**
 * Replaces each `@scimSchema <urn>` tag with the attribute table of that schema.
 * @param {import('typedoc').Application} app
 * @param {import('typedoc').ProjectReflection} project
 * @param {Awaited<ReturnType<typeof loadDefinitions>>} loaded
 */
export function renderAttributeTables(app, project, { definitions, commonAttributes }) {
  for (const reflection of Object.values(project.reflections)) {
    const tag = reflection.comment?.getTag(SCIM_SCHEMA_TAG);
    if (!tag) continue;
    reflection.comment.removeTags(SCIM_SCHEMA_TAG);
    const urn = Comment.combineDisplayParts(tag.content).trim();
    const { exportName, definition } = definitions.get(urn) ?? {};
    if (!definition) {
      app.logger.warn(
        `${reflection.getFriendlyFullName()}: ${SCIM_SCHEMA_TAG} names no schema definition: ${urn}`,
      );
      continue;
    }
    const hasCommon = reflection.getChildByName?.(['id']) && reflection.getChildByName?.(['meta']);
    const rows = [
      ...(hasCommon ? attributeRows(commonAttributes, () => COMMON_SECTION) : []),
      ...attributeRows(definition.attributes, RFC_SECTIONS[urn] ?? (() => '')),
    ];
    reflection.comment.summary.push({ kind: 'text', text: `\n\n${table(urn, exportName, rows)}` });
  }
}

/**
 * @param {readonly any[]} attributes
 * @param {(attribute: any) => string} sectionOf
 * @param {string} prefix
 * @returns {string[][]}
 */
function attributeRows(attributes, sectionOf, prefix = '', parentSection = '') {
  return attributes.flatMap((attribute) => {
    const section = parentSection || sectionOf(attribute);
    const description = attribute.description
      ? `<br><small>${escapeCell(attribute.description)}</small>`
      : '';
    const row = [
      `\`${prefix}${attribute.name}\`${description}`,
      sectionLink(section),
      typeOf(attribute),
      attribute.required ? 'yes' : 'no',
      attribute.mutability,
      attribute.returned,
      notesOf(attribute),
    ];
    const sub = attribute.subAttributes
      ? attributeRows(attribute.subAttributes, sectionOf, `${prefix}${attribute.name}.`, section)
      : [];
    return [row, ...sub];
  });
}

function typeOf(attribute) {
  const references = attribute.referenceTypes?.length ? ` (${attribute.referenceTypes.join(', ')})` : '';
  return `${attribute.type}${references}${attribute.multiValued ? '[]' : ''}`;
}

function notesOf(attribute) {
  const notes = [];
  if (attribute.uniqueness && attribute.uniqueness !== 'none') notes.push(`unique (${attribute.uniqueness})`);
  if (attribute.caseExact) notes.push('case-exact');
  if (attribute.canonicalValues?.length) notes.push(`values: ${attribute.canonicalValues.join(', ')}`);
  return escapeCell(notes.join('; '));
}

function sectionLink(section) {
  if (!section) return '';
  if (section === '9865') return '[RFC 9865 §4](https://www.rfc-editor.org/rfc/rfc9865#section-4)';
  return `[§${section}](${RFC7643}#section-${section})`;
}

/** Text for a table cell: no pipes, no line breaks, no HTML. */
function escapeCell(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(urn, exportName, rows) {
  const header = ['attribute', 'RFC 7643', 'type', 'required', 'mutability', 'returned', 'notes'];
  return [
    '#### SCIM attributes',
    '',
    `Every attribute of \`${urn}\` (sub-attributes after a dot), from \`${exportName}\`: the ` +
      'schema definition that `/Schemas` serves and that validation, PATCH and response shaping read.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
