/**
 * What the console must never show: credentials in headers and query strings, and every value
 * of an attribute the schemas declare `writeOnly` or `returned: "never"` (`password`, and any
 * such attribute of a custom schema or extension), wherever a SCIM message carries it:
 * resources, PATCH operations (by path or in a path-less value), bulk operations, list
 * responses, SearchRequest bodies and filters. Each value taken out is also remembered as a
 * secret of the exchange, so that an echo of it anywhere else (an error detail) is scrubbed too.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7 (mutability, returned)
 */
import { safeParsePath, tokenize } from '@scimkit/filter';
import type { AttributeDefinition, ResourceTypeDefinition } from '@scimkit/schema';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed from free text (it would blank out common words). */
const MIN_SCRUBBED_LENGTH = 4;

/** Header names whose values are credentials. */
const SECRET_HEADER = /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential/i;

/** Query parameter names whose values are credentials (`access_token` is RFC 6750 section 2.3). */
const SECRET_PARAMETER =
  /token|secret|password|passwd|api[-_]?key|signature|credential|^(?:sig|code|key|auth)$/i;

/** The sensitive attributes of a set of resource types, by lower-case path. */
export interface SensitiveAttributes {
  /** Paths (`password`, `credentials.secret`) in the core schemas, where JSON carries them bare. */
  readonly core: ReadonlySet<string>;
  /** Paths per lower-case extension schema URN. */
  readonly extensions: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every schema URN, lower-case, longest first (to split qualified names). */
  readonly schemas: readonly string[];
  /** The last segment of every sensitive path (`password`, `secret`), for text that is not JSON. */
  readonly names: ReadonlySet<string>;
  /**
   * The names of sensitive top-level attributes (`password`): hidden under any key of that name,
   * wherever it appears (`{"__proto__": {"password": …}}`), since such names are distinctive.
   */
  readonly anywhere: ReadonlySet<string>;
}

function isSensitive(attribute: AttributeDefinition): boolean {
  return attribute.mutability === 'writeOnly' || attribute.returned === 'never';
}

function collectPaths(
  attributes: readonly AttributeDefinition[],
  into: Set<string>,
  names: { all: Set<string>; topLevel: Set<string> },
  prefix = '',
) {
  for (const attribute of attributes) {
    const name = attribute.name.toLowerCase();
    const path = `${prefix}${name}`;
    if (isSensitive(attribute)) {
      into.add(path);
      names.all.add(name);
      if (prefix === '') names.topLevel.add(name);
    } else if (attribute.subAttributes) collectPaths(attribute.subAttributes, into, names, `${path}.`);
  }
}

/** Indexes the `writeOnly` and `returned: "never"` attributes of `resourceTypes`. */
export function sensitiveAttributes(resourceTypes: readonly ResourceTypeDefinition[]): SensitiveAttributes {
  const core = new Set<string>();
  const extensions = new Map<string, Set<string>>();
  const schemas = new Set<string>();
  const names = { all: new Set<string>(), topLevel: new Set<string>() };
  for (const type of resourceTypes) {
    schemas.add(type.schema.id.toLowerCase());
    collectPaths(type.schema.attributes, core, names);
    for (const { schema } of type.extensions) {
      const urn = schema.id.toLowerCase();
      schemas.add(urn);
      const paths = extensions.get(urn) ?? new Set<string>();
      collectPaths(schema.attributes, paths, names);
      extensions.set(urn, paths);
    }
  }
  return {
    core,
    extensions,
    schemas: [...schemas].sort((a, b) => b.length - a.length),
    names: names.all,
    anywhere: names.topLevel,
  };
}

/** The secrets taken out of one exchange, to scrub from its free text. */
export class Secrets {
  readonly #values = new Set<string>();

  /** Remembers every string (and number) inside `value`. */
  add(value: unknown): void {
    if (typeof value === 'string') {
      if (value.length >= MIN_SCRUBBED_LENGTH) this.#values.add(value);
    } else if (typeof value === 'number') this.add(String(value));
    else if (Array.isArray(value)) for (const item of value) this.add(item);
    else if (typeof value === 'object' && value !== null)
      for (const item of Object.values(value)) this.add(item);
  }

  /** `value` with {@link scrub} applied to every string in it (keys included). */
  scrubDeep<T>(value: T): T {
    if (this.#values.size === 0) return value;
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.scrub(item);
      if (Array.isArray(item)) return item.map(walk);
      if (typeof item !== 'object' || item === null) return item;
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [this.scrub(key), walk(entry)]));
    };
    return walk(value) as T;
  }

  /** `text` with every remembered secret (as written, and JSON- or URL-encoded) replaced. */
  scrub(text: string): string {
    if (this.#values.size === 0) return text;
    let result = text;
    for (const secret of this.#values) {
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
        result = result.split(form).join(REDACTED);
      }
    }
    return result;
  }
}

/** A schema URN and attribute path split from a name such as `urn:…:User:password`. */
function splitQualified(
  sensitive: SensitiveAttributes,
  lower: string,
): { schema: string; path: string } | undefined {
  if (!lower.startsWith('urn:')) return undefined;
  for (const urn of sensitive.schemas) {
    if (lower.length > urn.length + 1 && lower.startsWith(urn) && lower[urn.length] === ':') {
      return { schema: urn, path: lower.slice(urn.length + 1) };
    }
  }
  return undefined;
}

/** Whether `path` (lower-case, dotted) of schema `schema` (undefined: core) is sensitive or lies inside such an attribute. */
function covers(sensitive: SensitiveAttributes, schema: string | undefined, path: string): boolean {
  const extension = schema === undefined ? undefined : sensitive.extensions.get(schema);
  const paths = extension ?? sensitive.core;
  const parent = path.split('.')[0]!;
  return paths.has(path) || paths.has(parent);
}

/** Whether some sensitive path lies below `path` (so the value must be walked). */
function contains(sensitive: SensitiveAttributes, schema: string | undefined, path: string): boolean {
  const extension = schema === undefined ? undefined : sensitive.extensions.get(schema);
  const prefix = `${path}.`;
  for (const candidate of extension ?? sensitive.core) if (candidate.startsWith(prefix)) return true;
  return false;
}

/** A copy of `record` that can carry any key (`__proto__` included) as plain data. */
function entriesToObject(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/**
 * A resource (or a piece of one) with every sensitive value replaced. `schema` is the extension
 * being walked (undefined: the core schema); `prefix` the dotted path walked so far.
 */
function redactResource(
  sensitive: SensitiveAttributes,
  value: unknown,
  secrets: Secrets,
  schema?: string,
  prefix = '',
): unknown {
  if (Array.isArray(value))
    return value.map((item) => redactResource(sensitive, item, secrets, schema, prefix));
  if (typeof value !== 'object' || value === null) return value;
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    let itemSchema = schema;
    let path = prefix ? `${prefix}.${lower}` : lower;
    if (prefix === '' && lower.startsWith('urn:')) {
      if (sensitive.schemas.includes(lower)) {
        // An extension's attributes, in an object keyed by its URN.
        entries.push([key, redactResource(sensitive, item, secrets, lower)]);
        continue;
      }
      const qualified = splitQualified(sensitive, lower);
      if (qualified) {
        itemSchema = sensitive.extensions.has(qualified.schema) ? qualified.schema : undefined;
        path = qualified.path;
      }
    }
    if (covers(sensitive, itemSchema, path) || sensitive.anywhere.has(lower)) {
      secrets.add(item);
      entries.push([key, REDACTED]);
    } else if (typeof item === 'object' && item !== null) {
      entries.push([key, redactResource(sensitive, item, secrets, itemSchema, path)]);
    } else entries.push([key, item]);
  }
  return entriesToObject(entries);
}

/**
 * A value found at `path` of a resource (a path as `diffResources` writes it:
 * `emails[value eq "x"].value`, `urn:…:User:department`), redacted as the resource walk would.
 */
export function redactValueAt(
  sensitive: SensitiveAttributes,
  path: string,
  value: unknown,
  secrets: Secrets,
): unknown {
  let lower = path.replace(/\[[^\]]*\]/g, '').toLowerCase();
  if (sensitive.schemas.includes(lower)) return redactResource(sensitive, value, secrets, lower);
  let schema: string | undefined;
  const qualified = splitQualified(sensitive, lower);
  if (qualified) {
    schema = sensitive.extensions.has(qualified.schema) ? qualified.schema : undefined;
    lower = qualified.path;
  }
  if (covers(sensitive, schema, lower)) {
    if (value !== undefined) secrets.add(value);
    return value === undefined ? undefined : REDACTED;
  }
  return redactResource(sensitive, value, secrets, schema, lower);
}

/** A PATCH operation with its value redacted according to its path (RFC 7644 section 3.5.2). */
function redactPatchOperation(sensitive: SensitiveAttributes, operation: unknown, secrets: Secrets): unknown {
  if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) {
    return redactResource(sensitive, operation, secrets);
  }
  const record = operation as Record<string, unknown>;
  const pathKey = Object.keys(record).find((key) => key.toLowerCase() === 'path');
  const valueKey = Object.keys(record).find((key) => key.toLowerCase() === 'value');
  const rawPath = pathKey === undefined ? undefined : record[pathKey];
  if (valueKey === undefined) return record;
  let value: unknown;
  if (typeof rawPath !== 'string' || rawPath.trim() === '') {
    value = redactResource(sensitive, record[valueKey], secrets);
  } else {
    const parsed = safeParsePath(rawPath);
    if (!parsed.success) {
      // An unparsable path naming a sensitive attribute anywhere: hide the value.
      const lower = rawPath.toLowerCase();
      const suspicious = [...sensitive.names].some((name) => lower.includes(name));
      if (suspicious) secrets.add(record[valueKey]);
      value = suspicious ? REDACTED : redactResource(sensitive, record[valueKey], secrets);
    } else {
      const { path, subAttribute } = parsed.data;
      const qualified = path.schema === undefined ? undefined : path.schema.toLowerCase();
      const schema = qualified && sensitive.extensions.has(qualified) ? qualified : undefined;
      const dotted = [path.attribute, path.subAttribute ?? subAttribute]
        .filter((part): part is string => part !== undefined)
        .join('.')
        .toLowerCase();
      if (covers(sensitive, schema, dotted)) {
        secrets.add(record[valueKey]);
        value = REDACTED;
      } else if (contains(sensitive, schema, dotted)) {
        value = redactResource(sensitive, record[valueKey], secrets, schema, dotted);
      } else value = record[valueKey];
    }
  }
  return { ...record, [valueKey]: value };
}

/** A bulk operation (RFC 7644 section 3.7): its `data` as a resource or a PatchOp, its `response` as a message. */
function redactBulkOperation(sensitive: SensitiveAttributes, operation: unknown, secrets: Secrets): unknown {
  if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) return operation;
  const entries = Object.entries(operation).map(([key, item]): [string, unknown] => {
    const lower = key.toLowerCase();
    if (lower === 'data' || lower === 'response') return [key, redactMessage(sensitive, item, secrets)];
    return [key, item];
  });
  return entriesToObject(entries);
}

/**
 * A SCIM message (a resource, PatchOp, BulkRequest/Response, ListResponse, SearchRequest or
 * Error) with every sensitive value replaced by {@link REDACTED} and remembered in `secrets`.
 */
export function redactMessage(sensitive: SensitiveAttributes, value: unknown, secrets: Secrets): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return redactResource(sensitive, value, secrets);
  }
  const record = value as Record<string, unknown>;
  const key = (name: string) => Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const operations = key('operations');
  const resources = key('resources');
  const filter = key('filter');
  if (operations !== undefined && Array.isArray(record[operations])) {
    const list = record[operations] as unknown[];
    const bulk = list.some(
      (operation) => typeof operation === 'object' && operation !== null && 'method' in operation,
    );
    return {
      ...record,
      [operations]: list.map((operation) =>
        bulk
          ? redactBulkOperation(sensitive, operation, secrets)
          : redactPatchOperation(sensitive, operation, secrets),
      ),
    };
  }
  if (resources !== undefined && Array.isArray(record[resources])) {
    return {
      ...record,
      [resources]: (record[resources] as unknown[]).map((item) => redactResource(sensitive, item, secrets)),
    };
  }
  const redacted = redactResource(sensitive, record, secrets) as Record<string, unknown>;
  if (filter !== undefined && typeof record[filter] === 'string') {
    redacted[filter] = redactFilter(sensitive, record[filter], secrets);
  }
  return redacted;
}

/**
 * A filter with the value compared to any sensitive attribute replaced (`password eq "x"` →
 * `password eq "[redacted]"`). A filter that does not even tokenise (an unclosed string) loses
 * everything after the first sensitive name it mentions.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function redactFilter(sensitive: SensitiveAttributes, filter: string, secrets: Secrets): string {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(filter);
  } catch {
    const lower = filter.toLowerCase();
    let cut = -1;
    for (const name of sensitive.names) {
      const at = lower.indexOf(name);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at + name.length;
    }
    if (cut < 0) return filter;
    secrets.add(filter.slice(cut).replace(/^\s*\w+\s*"?/, ''));
    return `${filter.slice(0, cut)} ${REDACTED}`;
  }
  const parents: string[] = [];
  const replacements: { start: number; end: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'LeftBracket') {
      const before = tokens[i - 1];
      parents.push(before?.kind === 'Word' ? filter.slice(before.start, before.end).toLowerCase() : '');
      continue;
    }
    if (token.kind === 'RightBracket') {
      parents.pop();
      continue;
    }
    const operator = tokens[i + 1];
    const operand = tokens[i + 2];
    if (token.kind !== 'Word' || operator?.kind !== 'Word' || !operand || operand.kind === 'EOF') continue;
    let name = filter.slice(token.start, token.end).toLowerCase();
    let schema: string | undefined;
    const qualified = splitQualified(sensitive, name);
    if (qualified) {
      schema = sensitive.extensions.has(qualified.schema) ? qualified.schema : undefined;
      name = qualified.path;
    }
    const parent = parents.at(-1);
    if (parent) name = `${parent}.${name}`;
    if (covers(sensitive, schema, name) && operand.kind !== 'LeftParen') {
      replacements.push({ start: operand.start, end: operand.end });
      secrets.add(operand.value ?? filter.slice(operand.start, operand.end));
    }
  }
  let result = filter;
  for (const { start, end } of replacements.reverse()) {
    result = `${result.slice(0, start)}"${REDACTED}"${result.slice(end)}`;
  }
  return result;
}

/**
 * Text that is not JSON (or not complete JSON), with the values of sensitive names hidden as
 * well as a pattern can: `"password": "…"` and `password=…`.
 */
export function redactText(sensitive: SensitiveAttributes, text: string, secrets: Secrets): string {
  let result = text;
  for (const name of sensitive.names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result
      .replace(
        new RegExp(`("(?:[^"]*:)?${escaped}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`, 'gi'),
        (_match, key: string, secret: string) => {
          secrets.add(secret.replace(/^"|"$/g, ''));
          return `${key}"${REDACTED}"`;
        },
      )
      .replace(new RegExp(`(\\b${escaped}=)([^&\\s]*)`, 'gi'), (_match, key: string, secret: string) => {
        secrets.add(secret);
        return `${key}${REDACTED}`;
      });
  }
  return result;
}

/** Authentication schemes whose name is safe to show (any other first word may be the secret itself). */
const KNOWN_SCHEMES = /^(?:bearer|basic|digest|negotiate|ntlm|ssws|token|apikey|hoba|mutual)$/i;

/**
 * The scheme and credentials of an `Authorization` value, when it has a known scheme
 * (`Bearer abc` → `Bearer`, `abc`); undefined for anything else (a bare token).
 */
export function authorizationParts(value: string): { scheme: string; credentials: string } | undefined {
  const match = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(value);
  if (!match || !KNOWN_SCHEMES.test(match[1]!)) return undefined;
  return { scheme: match[1]!, credentials: match[2]! };
}

/** A header list with credentials hidden; `Authorization` keeps a known scheme (`Bearer [redacted]`). */
export function redactHeaders(headers: Headers, secrets: Secrets): [string, string][] {
  const list: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!SECRET_HEADER.test(name)) {
      list.push([name, value]);
      return;
    }
    const parts = /^(?:proxy-)?authorization$/i.test(name) ? authorizationParts(value) : undefined;
    secrets.add(parts ? parts.credentials : value);
    list.push([name, parts ? `${parts.scheme} ${REDACTED}` : REDACTED]);
  });
  return list;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The path and query of `url`, decoded for reading, with credential parameters (`access_token`,
 * `api_key`, …) hidden and the values compared to sensitive attributes in `filter` redacted.
 */
export function redactUrl(sensitive: SensitiveAttributes, url: URL, secrets: Secrets): string {
  const path = decode(url.pathname);
  if (url.search.length <= 1) return path;
  const parameters = url.search
    .slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decode(equals < 0 ? pair : pair.slice(0, equals));
      if (equals < 0) return name;
      const value = decode(pair.slice(equals + 1));
      if (SECRET_PARAMETER.test(name)) {
        secrets.add(value);
        return `${name}=${REDACTED}`;
      }
      if (name.toLowerCase() === 'filter') return `${name}=${redactFilter(sensitive, value, secrets)}`;
      return `${name}=${value}`;
    });
  return `${path}?${parameters.join('&')}`;
}
