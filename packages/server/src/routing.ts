/**
 * Routing: a request's path and method to the operation that answers it. `answer` is the whole
 * server behind `fetch` and the Node adapter: authentication, the {@link Call}, routing, and
 * every failure as an RFC 7644 Error result.
 */
import { contextOf } from './auth.js';
import { serveBulk } from './bulk.js';
import { type Call, reportError, type ServerContext } from './context.js';
import { serveDiscovery } from './discovery.js';
import {
  checkQueryEncoding,
  errorResult,
  MethodNotAllowedError,
  readJsonBody,
  type ScimRequest,
  type ScimResult,
  scimError,
} from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import { listResources, searchAll } from './lists.js';
import { OPENAPI_PATH } from './openapi.js';
import { listParametersOfBody, listParametersOfUrl, projectionOfUrl } from './query.js';
import { createResource, deleteResource, getResource, patchResource, replaceResource } from './resources.js';

const METHODS_ITEM = 'GET, PUT, PATCH, DELETE';

function notAllowed(allow: string): never {
  throw new MethodNotAllowedError(allow);
}

/** The parameters of a SearchRequest body (POST `.search`). */
async function searchBody(call: Call) {
  const { server } = call;
  const body = await readJsonBody(call.request, server.limits.maxBodySize);
  return listParametersOfBody(body, { requireSchema: !server.compat.missingMessageSchemas });
}

/** GET, PUT, PATCH or DELETE of one resource (`/Users/{id}`, `/Me`). */
async function serveResource(call: Call, info: TypeInfo, id: string, method: string): Promise<ScimResult> {
  const { request, server } = call;
  const ifMatch = request.header('if-match') ?? undefined;
  switch (method) {
    case 'GET':
      return await getResource(
        call,
        { info, id, projection: projectionOfUrl(request.url, server, info) },
        request.header('if-none-match') ?? undefined,
      );
    case 'PUT':
    case 'PATCH': {
      // The body first: its errors take precedence over the projection's, as they always have.
      const body = await readJsonBody(request, server.limits.maxBodySize);
      const target = { info, id, ifMatch, projection: projectionOfUrl(request.url, server, info) };
      return method === 'PUT' ? replaceResource(call, target, body) : patchResource(call, target, body);
    }
    case 'DELETE':
      return deleteResource(call, { info, id, ifMatch });
    default:
      return notAllowed(METHODS_ITEM);
  }
}

/**
 * The endpoints at the root of the base path: bulk, search across types, the OpenAPI document,
 * `/Me`; undefined for others, synchronously (a collection or resource request waits for no
 * promise here).
 */
function serveRoot(
  call: Call,
  segments: readonly string[],
  method: string,
): ScimResult | Promise<ScimResult> | undefined {
  if (segments.length > 1) return undefined;
  switch (segments[0]) {
    case 'Bulk':
      if (method !== 'POST') notAllowed('POST');
      return serveBulk(call);
    case '.search':
      if (method !== 'POST') notAllowed('POST');
      return searchBody(call).then((parameters) => searchAll(call, parameters));
    case OPENAPI_PATH: {
      const { openapi } = call.server;
      if (!openapi) return undefined;
      if (method !== 'GET') notAllowed('GET');
      return openapi(call.base);
    }
    case 'Me': {
      const { userType } = call.server;
      const userId = typeof call.principal.userId === 'string' ? call.principal.userId : undefined;
      if (!userType || userId === undefined || method === 'POST') {
        throw scimError(501, '/Me is not available: the authenticated principal does not map to a User.');
      }
      return serveResource(call, userType, userId, method);
    }
    default:
      return undefined;
  }
}

/**
 * The segments with the endpoint name (and a `/ResourceTypes/{name}`) in their configured
 * spelling, when endpoints route in any case, changed in place (`segmentsOf` made the array for
 * this request). Ids are never touched.
 */
function canonicalSegments(server: ServerContext, segments: string[]): string[] {
  const names = server.endpointNames;
  const first = segments[0];
  if (!names || first === undefined) return segments;
  const lower = first.toLowerCase();
  segments[0] = names.get(lower) ?? (lower === '.search' ? '.search' : first);
  const second = segments[1];
  if (second === undefined) return segments;
  if (segments[0] === 'ResourceTypes') segments[1] = names.get(second.toLowerCase()) ?? second;
  else if (second.length === 7 && second.toLowerCase() === '.search') segments[1] = '.search';
  return segments;
}

/** Routes a request, given its decoded path segments below the base path. */
async function route(call: Call, segments: readonly string[]): Promise<ScimResult> {
  const { request, server } = call;
  const { url } = request;
  const method = request.method.toUpperCase();
  const [first, second, third] = segments;
  if (first === undefined || first === '') throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
  const fixed =
    serveDiscovery(server.discovery, { method, url, base: call.base }, segments) ??
    serveRoot(call, segments, method);
  if (fixed) return await fixed;
  const info = server.byEndpoint.get(first);
  if (!info) throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
  if (second === undefined) {
    // `return await`: returning a promise from an async function costs two more microtasks.
    if (method === 'GET') return await listResources(call, info, listParametersOfUrl(url));
    if (method === 'POST') {
      const body = await readJsonBody(request, server.limits.maxBodySize);
      return createResource(call, info, body, projectionOfUrl(url, server, info));
    }
    notAllowed('GET, POST');
  }
  if (third !== undefined || second === '') throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
  if (second === '.search') {
    if (method !== 'POST') notAllowed('POST');
    return listResources(call, info, await searchBody(call));
  }
  return await serveResource(call, info, second, method);
}

/** The path below the base path as decoded segments (404 for one that does not decode). */
function segmentsOf(basePath: string, path: string): string[] {
  const segments = path.slice(basePath.length + 1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!segment.includes('%')) continue;
    try {
      segments[i] = decodeURIComponent(segment);
    } catch {
      throw scimError(404, `No SCIM endpoint at ${path}.`);
    }
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

async function handle(server: ServerContext, request: ScimRequest): Promise<ScimResult> {
  const { url } = request;
  const { basePath } = server;
  const path = url.pathname;
  if (!path.startsWith(basePath) || (path.length > basePath.length && path[basePath.length] !== '/')) {
    throw scimError(404, `No SCIM endpoint at ${path}; the base path is ${basePath || '/'}.`);
  }
  if (!server.allowsHost(url)) {
    throw scimError(400, `The Host "${url.host}" is not one this server answers to (allowedHosts).`);
  }
  // Token lists answer synchronously: no promise to wait for.
  const authenticated = server.authenticate(request);
  const principal = authenticated instanceof Promise ? await authenticated : authenticated;
  checkQueryEncoding(url);
  const segments = canonicalSegments(server, segmentsOf(basePath, path));
  const call: Call = {
    server,
    request,
    base: server.baseUrl ?? `${url.origin}${basePath}`,
    principal,
    context: contextOf(principal),
  };
  return await route(call, segments);
}

/** Answers one request; never rejects: every failure is an Error result. */
export async function answer(server: ServerContext, request: ScimRequest): Promise<ScimResult> {
  try {
    return await handle(server, request);
  } catch (error) {
    return errorResult(error, (unexpected) => reportError(server, unexpected, request.request()));
  }
}
