/**
 * Listing and searching: one resource type (GET on a collection, POST `{type}/.search`) or every
 * type at once (POST `/.search`), answered as ListResponses.
 */
import type { ScimResource } from '@scimkit/schema';
import type { Call } from './context.js';
import { pruneFilter } from './internal/filter-check.js';
import { type ScimResult, scimError } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import { isDefaultView, listResponse, viewOf } from './presentation.js';
import { type ListParameters, parseQuery } from './query.js';
import type { PageRequest, StoreQuery, StoreQueryOptions } from './store.js';

/**
 * A page of one resource type, as the store answers the parsed query.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export async function listResources(
  call: Call,
  info: TypeInfo,
  parameters: ListParameters,
): Promise<ScimResult> {
  const query = parseQuery(info, parameters, call.server);
  // The store's query written out (an object rest and spread run in V8's runtime).
  const storeQuery: StoreQuery = { page: query.page };
  if (query.filter) storeQuery.filter = query.filter;
  if (query.sort) storeQuery.sort = query.sort;
  const { attributes, excludedAttributes } = query.projection;
  if (attributes) storeQuery.attributes = attributes;
  if (excludedAttributes) storeQuery.excludedAttributes = excludedAttributes;
  // A store may read the page's User.groups with the page (one round trip, not two), and hand
  // over its stored texts for a response in the default view (see present()).
  const view = viewOf(info, query.projection);
  const withGroups = view.showsGroups;
  const withTexts = isDefaultView(query.projection) && !view.showsMembers;
  const result = await call.server.store.query(
    info.definition,
    storeQuery,
    storeQueryOptions(call, withGroups, withTexts),
  );
  const limit = query.page.count;
  const texts = withTexts ? result.texts : undefined;
  return listResponse(
    call,
    result.resources.slice(0, limit).map((resource, index) => ({ info, resource, text: texts?.[index] })),
    result.totalResults,
    query,
    result,
    withGroups ? result.groups : undefined,
  );
}

/** The store's query options, written out (a conditional spread runs in V8's runtime). */
function storeQueryOptions(call: Call, withGroups: boolean, withTexts: boolean): StoreQueryOptions {
  const options: StoreQueryOptions = { context: call.context };
  if (withGroups) options.withGroups = true;
  if (withTexts) options.withTexts = true;
  return options;
}

/**
 * POST /.search at the root: every resource type, in configuration order, index paging only.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3
 */
export async function searchAll(call: Call, parameters: ListParameters): Promise<ScimResult> {
  if (parameters.cursor !== undefined && parameters.cursor !== null) {
    throw scimError(
      400,
      'Cursor paging is not available for a search across all resource types.',
      'invalidValue',
    );
  }
  // Each type sorts in its own store (a database, with its own collation), so one order across
  // types could only be had by fetching every earlier page of every type: refuse it instead of
  // concatenating per-type orders, which looks sorted and is not.
  if (parameters.sortBy !== undefined && parameters.sortBy !== null && parameters.sortBy !== '') {
    throw scimError(
      400,
      'sortBy is not supported for a search across all resource types; search one type (POST /Users/.search) to sort.',
      'invalidValue',
    );
  }
  const query = parseQuery(undefined, parameters, call.server);
  if (query.page.kind !== 'index') throw scimError(400, 'Index paging only.', 'invalidValue');
  const { startIndex, count } = query.page;
  const items: { info: TypeInfo; resource: ScimResource }[] = [];
  let total = 0;
  for (const info of call.server.types) {
    // Conditions on attributes a type lacks are false for that type.
    const pruned = query.filter ? pruneFilter(query.filter, info) : true;
    if (pruned === false) continue;
    const filter = pruned === true ? {} : { filter: pruned };
    const offset = startIndex - 1 - total;
    const wanted = count - items.length;
    const page: PageRequest = {
      kind: 'index',
      startIndex: Math.max(0, offset) + 1,
      count: Math.max(0, wanted),
    };
    const result = await call.server.store.query(
      info.definition,
      { ...filter, page },
      { context: call.context },
    );
    if (page.count > 0)
      for (const resource of result.resources.slice(0, page.count)) items.push({ info, resource });
    total += result.totalResults;
  }
  return listResponse(call, items, total, query, {});
}
