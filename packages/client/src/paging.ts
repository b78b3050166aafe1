import type { Filter } from '@scimkit/filter';
import type { ScimResource } from '@scimkit/schema';
import { ScimClientError } from './errors.js';
import { filterText } from './filter-text.js';

/**
 * How list and search requests page through results.
 * - `index`: `startIndex` + `count` (RFC 7644 section 3.4.2.4), supported by every server.
 * - `cursor`: `cursor` + `count` (RFC 9865); only for servers that advertise it.
 * - `auto`: cursor paging when the server's ServiceProviderConfig advertises
 *   `pagination.cursor`, index paging otherwise.
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export type PagingMode = 'index' | 'cursor' | 'auto';

/**
 * A query for `list`, `search` and `count`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export interface ListQuery {
  /** A filter as text (`userName eq "bjensen"`) or as a `@scimkit/filter` AST. */
  filter?: string | Filter;
  /** The attribute to sort by, e.g. `name.familyName`. */
  sortBy?: string;
  /** Sort direction; servers default to ascending. */
  sortOrder?: 'ascending' | 'descending';
  /** Only return these attributes (plus those `returned: always`). */
  attributes?: string | readonly string[];
  /** Leave these attributes out of the answer. */
  excludedAttributes?: string | readonly string[];
  /**
   * Resources asked for per request (`count`). The client lowers it to the server's advertised
   * `filter.maxResults` / `pagination.maxPageSize`, and copes with servers that return fewer.
   * @defaultValue 100
   */
  pageSize?: number;
  /** Stop after this many resources in total (no further pages are fetched). */
  limit?: number;
  /**
   * Index or cursor paging.
   * @defaultValue 'auto'
   */
  paging?: PagingMode;
  /** Cancels the requests of this listing. */
  signal?: AbortSignal;
}

/** One page of a listing, as the server answered it. */
export interface ListPage<T> {
  /** The resources of this page (possibly fewer than asked for). */
  resources: T[];
  /** What the server says matches in total; `undefined` when it did not say. */
  totalResults: number | undefined;
  /** The 1-based index of this page's first resource (index paging). */
  startIndex: number | undefined;
  /** The server's `itemsPerPage`, if it sent one. */
  itemsPerPage: number | undefined;
  /** RFC 9865: the cursor of the next page, absent on the last page. */
  nextCursor: string | undefined;
  /** RFC 9865: the cursor of the previous page, if the server offers one. */
  previousCursor: string | undefined;
}

/**
 * The result of `list` and `search`: iterate it with `for await` to get resources one by one
 * (pages are fetched lazily, as the loop needs them), or call {@link ListResult.pages} to
 * handle a page at a time.
 *
 * Paging stops at the first empty page, once `totalResults` resources have been seen, at
 * `limit`, or when a cursor page has no `nextCursor`; it never loops forever on a server that
 * ignores `startIndex` or repeats a cursor. A `list` whose GET pages come back the same
 * although `totalResults` says more remain continues with `POST /.search` (some servers only
 * read paging from a search body), and fails with a {@link ScimClientError} if that does not
 * help either.
 */
export interface ListResult<T> extends AsyncIterable<T> {
  /** Iterates page by page instead of resource by resource. */
  pages(): AsyncIterable<ListPage<T>>;
  /** Collects every resource (mind memory: prefer `for await` on large sets). */
  toArray(): Promise<T[]>;
}

/** One page request, for index or cursor paging. */
export type PageRequest =
  | { kind: 'index'; startIndex: number; count: number }
  | { kind: 'cursor'; cursor: string; count: number };

/** How the pager fetches one page. */
export type PageFetcher = (request: PageRequest) => Promise<unknown>;

/** Paging settings resolved from the query and the server's capabilities. */
export interface PagerSettings {
  mode: 'index' | 'cursor';
  pageSize: number;
  limit: number | undefined;
}

function toList(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.join(',');
  return text === '' ? undefined : text;
}

/** The query parameters of a GET listing (without paging). */
export function queryParameters(query: ListQuery): URLSearchParams {
  const parameters = new URLSearchParams();
  if (query.filter !== undefined) parameters.set('filter', filterText(query.filter));
  if (query.sortBy !== undefined) parameters.set('sortBy', query.sortBy);
  if (query.sortOrder !== undefined) parameters.set('sortOrder', query.sortOrder);
  const attributes = toList(query.attributes);
  if (attributes !== undefined) parameters.set('attributes', attributes);
  const excluded = toList(query.excludedAttributes);
  if (excluded !== undefined) parameters.set('excludedAttributes', excluded);
  return parameters;
}

/** The body of a `POST /.search` (without paging). */
export function searchBody(query: ListQuery, schema: string): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [schema] };
  if (query.filter !== undefined) body.filter = filterText(query.filter);
  if (query.sortBy !== undefined) body.sortBy = query.sortBy;
  if (query.sortOrder !== undefined) body.sortOrder = query.sortOrder;
  const attributes = toList(query.attributes);
  if (attributes !== undefined) body.attributes = attributes.split(',');
  const excluded = toList(query.excludedAttributes);
  if (excluded !== undefined) body.excludedAttributes = excluded.split(',');
  return body;
}

function numberField(record: Record<string, unknown>, name: string): number | undefined {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads a ListResponse leniently: `Resources` missing means none (some servers also spell it
 * `resources`), numbers sent as strings are accepted.
 */
function parseListResponse<T>(body: unknown): ListPage<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScimClientError('The server answered a list request without a ListResponse object.', {
      status: 502,
    });
  }
  const record = body as Record<string, unknown>;
  const key = Object.keys(record).find((name) => name.toLowerCase() === 'resources');
  const resources = key === undefined ? [] : record[key];
  if (!Array.isArray(resources)) {
    throw new ScimClientError('The server answered a ListResponse whose "Resources" is not an array.', {
      status: 502,
    });
  }
  return {
    resources: resources as T[],
    totalResults: numberField(record, 'totalResults'),
    startIndex: numberField(record, 'startIndex'),
    itemsPerPage: numberField(record, 'itemsPerPage'),
    nextCursor: stringField(record, 'nextCursor'),
    previousCursor: stringField(record, 'previousCursor'),
  };
}

function idOf(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  const id = (resource as Partial<ScimResource>).id;
  return typeof id === 'string' ? id : undefined;
}

/** How many resources to ask for next: a page, or what `limit` still allows (0: done). */
function nextCount(settings: PagerSettings, seen: number): number {
  return settings.limit === undefined
    ? settings.pageSize
    : Math.min(settings.pageSize, settings.limit - seen);
}

/** A page cut to what `limit` still allows (servers may send more than asked). */
function withinLimit<T>(resources: T[], settings: PagerSettings, seen: number): T[] {
  return settings.limit !== undefined && resources.length > settings.limit - seen
    ? resources.slice(0, settings.limit - seen)
    : resources;
}

async function* indexPages<T>(
  fetchPage: PageFetcher,
  settings: PagerSettings,
  fallback: PageFetcher | undefined,
): AsyncGenerator<ListPage<T>> {
  let startIndex = 1;
  let seen = 0;
  let previousIds: Set<string> | undefined;
  let fetcher = fetchPage;
  let switched = false;
  for (;;) {
    const count = nextCount(settings, seen);
    if (count <= 0) return;
    const page = parseListResponse<T>(await fetcher({ kind: 'index', startIndex, count }));
    if (page.resources.length === 0) return;
    const ids = page.resources.map(idOf).filter((id): id is string => id !== undefined);
    if (previousIds !== undefined && ids.length > 0 && ids.every((id) => previousIds?.has(id))) {
      // The server ignores startIndex and sent the previous page again.
      if (page.totalResults === undefined || page.totalResults <= startIndex - 1) return;
      if (fallback !== undefined && !switched) {
        // Some servers only honour paging in a POST /.search body (scimmy-routers on
        // Express 5 loses numeric query parameters): ask the same page that way.
        switched = true;
        fetcher = fallback;
        continue;
      }
      throw new ScimClientError(
        `The server answered startIndex=${startIndex} with the resources of the previous page, so it ignores startIndex; ${page.totalResults - (startIndex - 1)} of ${page.totalResults} resources cannot be reached.`,
        { status: 502 },
      );
    }
    previousIds = new Set(ids);
    const resources = withinLimit(page.resources, settings, seen);
    seen += resources.length;
    yield { ...page, resources };
    startIndex += page.resources.length;
    if (page.totalResults !== undefined && startIndex > page.totalResults) return;
  }
}

async function* cursorPages<T>(fetchPage: PageFetcher, settings: PagerSettings): AsyncGenerator<ListPage<T>> {
  let cursor = '';
  let seen = 0;
  const usedCursors = new Set<string>();
  for (;;) {
    const count = nextCount(settings, seen);
    if (count <= 0) return;
    const page = parseListResponse<T>(await fetchPage({ kind: 'cursor', cursor, count }));
    if (page.resources.length === 0) return;
    const resources = withinLimit(page.resources, settings, seen);
    seen += resources.length;
    yield { ...page, resources };
    if (page.nextCursor === undefined) return;
    usedCursors.add(cursor);
    if (usedCursors.has(page.nextCursor)) {
      throw new ScimClientError(
        `The server returned nextCursor "${page.nextCursor}" a second time; paging stopped.`,
        {
          status: 502,
        },
      );
    }
    cursor = page.nextCursor;
  }
}

/**
 * Creates a lazy {@link ListResult}: nothing is fetched until it is iterated, and each
 * iteration starts from the first page again. `fallback` fetches index pages another way
 * (POST /.search) once the server is caught ignoring `startIndex`.
 */
export function createListResult<T>(
  settings: () => Promise<PagerSettings>,
  fetchPage: PageFetcher,
  fallback?: PageFetcher,
): ListResult<T> {
  const pages = async function* (): AsyncGenerator<ListPage<T>> {
    const resolved = await settings();
    yield* resolved.mode === 'cursor'
      ? cursorPages<T>(fetchPage, resolved)
      : indexPages<T>(fetchPage, resolved, fallback);
  };
  const result: ListResult<T> = {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.resources;
    },
    async toArray() {
      const all: T[] = [];
      for await (const page of pages()) all.push(...page.resources);
      return all;
    },
  };
  return result;
}
