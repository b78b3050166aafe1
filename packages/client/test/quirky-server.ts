// A deliberately quirky SCIM server for the client's tests: real HTTP on 127.0.0.1:0, with
// switches for the paging, retry and concurrency misbehaviour seen in the wild.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface Quirks {
  /** Serve at most this many resources per page whatever `count` says. */
  maxPageSize?: number;
  /** Return every resource from startIndex on, ignoring `count`. */
  ignoreCount?: boolean;
  /** Always serve the first page, ignoring `startIndex`. */
  ignoreStartIndex?: boolean;
  /** Ignore `startIndex` in GET query parameters only (POST /.search bodies work). */
  ignoreStartIndexOnGet?: boolean;
  /** Added to the real totalResults (negative: too small). */
  totalResultsOffset?: number;
  /** Leave totalResults out. */
  omitTotalResults?: boolean;
  /** Serve cursor paging (and advertise it). */
  cursor?: boolean;
  /** Return this nextCursor forever (a broken cursor implementation). */
  stuckCursor?: string;
  /** Spell the list key `resources`. */
  lowercaseResources?: boolean;
  /** Answer POST with 201 and a Location only (no body); a string is the Location to send. */
  createWithoutBody?: boolean | string;
  /** Answer PATCH with 204 No Content. */
  patchNoContent?: boolean;
  /** ServiceProviderConfig to serve; 404 when absent. */
  serviceProviderConfig?: Record<string, unknown>;
  /** Leave meta.version out of bodies (ETag header only). */
  versionInHeaderOnly?: boolean;
}

/** A canned answer served before normal handling, consumed in order. */
export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only for requests matching this method (any when absent). */
  method?: string;
  /** Hold the answer this many ms (for timeouts). */
  delay?: number;
}

export interface LoggedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Resource = Record<string, unknown> & { id: string; meta: Record<string, unknown> };

export interface QuirkyServer {
  url: string;
  quirks: Quirks;
  script: Scripted[];
  log: LoggedRequest[];
  resources: Map<string, Map<string, Resource>>;
  seedUsers(count: number): void;
  reset(): void;
  close(): Promise<void>;
}

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

export async function startQuirkyServer(): Promise<QuirkyServer> {
  let nextId = 1;
  const state: Omit<QuirkyServer, 'url' | 'close' | 'seedUsers' | 'reset'> = {
    quirks: {},
    script: [],
    log: [],
    resources: new Map([
      ['Users', new Map()],
      ['Groups', new Map()],
    ]),
  };

  const send = (
    response: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, detail: string, scimType?: string) =>
    send(response, status, {
      schemas: [ERROR],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    });

  const store = (type: string) => {
    const found = state.resources.get(type);
    if (!found) throw new Error(`no ${type}`);
    return found;
  };

  const version = (resource: Resource) => String(resource.meta.version);
  const output = (resource: Resource) => {
    if (!state.quirks.versionInHeaderOnly) return resource;
    const { version: _version, ...meta } = resource.meta;
    return { ...resource, meta };
  };

  const create = (type: string, data: Record<string, unknown>): Resource => {
    const id = String(nextId++);
    const resource: Resource = {
      ...data,
      id,
      meta: { resourceType: type.slice(0, -1), location: `/${type}/${id}`, version: 'W/"1"' },
    };
    store(type).set(id, resource);
    return resource;
  };

  const bump = (resource: Resource) => {
    const current = Number(/\d+/.exec(version(resource))?.[0] ?? '1');
    resource.meta.version = `W/"${current + 1}"`;
  };

  const applyPatch = (resource: Resource, operations: { op: string; path?: string; value?: unknown }[]) => {
    for (const operation of operations) {
      const op = operation.op.toLowerCase();
      const member = /^members\[value eq (".*")\]$/.exec(operation.path ?? '');
      if (op === 'remove' && member?.[1]) {
        const value = JSON.parse(member[1]) as string;
        resource.members = ((resource.members as { value: string }[] | undefined) ?? []).filter(
          (entry) => entry.value !== value,
        );
      } else if (op === 'add' && operation.path === 'members') {
        resource.members = [
          ...((resource.members as unknown[] | undefined) ?? []),
          ...(operation.value as unknown[]),
        ];
      } else if ((op === 'replace' || op === 'add') && operation.path) {
        resource[operation.path] = operation.value;
      } else if ((op === 'replace' || op === 'add') && typeof operation.value === 'object') {
        Object.assign(resource, operation.value);
      } else {
        throw new Error(`unsupported patch ${JSON.stringify(operation)}`);
      }
    }
    bump(resource);
  };

  const list = (
    response: ServerResponse,
    type: string,
    parameters: URLSearchParams | Record<string, unknown>,
  ) => {
    const get = (name: string) =>
      parameters instanceof URLSearchParams
        ? (parameters.get(name) ?? undefined)
        : parameters[name] === undefined
          ? undefined
          : String(parameters[name]);
    let all = [...store(type).values()];
    const filter = get('filter');
    const eq = filter ? /^(\w+) eq "(.*)"$/.exec(filter) : null;
    if (eq?.[1] && eq[2] !== undefined) all = all.filter((resource) => resource[eq[1] as string] === eq[2]);
    const quirks = state.quirks;
    const requested = get('count') === undefined ? 100 : Math.max(0, Number(get('count')));
    let count = quirks.ignoreCount ? all.length : requested;
    if (quirks.maxPageSize !== undefined) count = Math.min(count, quirks.maxPageSize);
    const total = all.length + (quirks.totalResultsOffset ?? 0);
    const body: Record<string, unknown> = { schemas: [LIST] };
    if (!quirks.omitTotalResults) body.totalResults = total;
    let page: Resource[];
    const cursor = get('cursor');
    if (cursor !== undefined) {
      const start = Number.isInteger(Number(cursor)) ? Number(cursor) : 0;
      page = all.slice(start, start + count);
      const next = start + page.length;
      if (quirks.stuckCursor !== undefined) body.nextCursor = quirks.stuckCursor;
      else if (next < all.length) body.nextCursor = String(next);
      if (start > 0) body.previousCursor = String(Math.max(0, start - count));
    } else {
      const ignore =
        quirks.ignoreStartIndex || (quirks.ignoreStartIndexOnGet && parameters instanceof URLSearchParams);
      const startIndex = ignore ? 1 : Math.max(1, Number(get('startIndex') ?? '1'));
      page = all.slice(startIndex - 1, startIndex - 1 + count);
      body.startIndex = startIndex;
    }
    body.itemsPerPage = page.length;
    body[quirks.lowercaseResources ? 'resources' : 'Resources'] = page.map(output);
    send(response, 200, body);
  };

  const bulk = (response: ServerResponse, body: Record<string, unknown>) => {
    const spc = state.quirks.serviceProviderConfig as {
      bulk?: { maxOperations?: number; maxPayloadSize?: number };
    };
    const operations = body.Operations as { method: string; path: string; bulkId?: string; data?: unknown }[];
    const size = Buffer.byteLength(JSON.stringify(body));
    if (
      (spc?.bulk?.maxOperations !== undefined && operations.length > spc.bulk.maxOperations) ||
      (spc?.bulk?.maxPayloadSize !== undefined && size > spc.bulk.maxPayloadSize)
    ) {
      return fail(response, 413, `too big: ${operations.length} operations, ${size} bytes`, 'tooMany');
    }
    const ids = new Map<string, string>();
    const resolve = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value).replace(/bulkId:([\w-]+)/g, (whole, bulkId: string) => {
          const id = ids.get(bulkId);
          if (id === undefined) throw new Error(`unresolved ${whole}`);
          return id;
        }),
      );
    const failOnErrors = typeof body.failOnErrors === 'number' ? body.failOnErrors : Number.POSITIVE_INFINITY;
    let errors = 0;
    const results: Record<string, unknown>[] = [];
    for (const operation of operations) {
      if (errors >= failOnErrors) break;
      const entry: Record<string, unknown> = {
        method: operation.method,
        ...(operation.bulkId ? { bulkId: operation.bulkId } : {}),
      };
      try {
        const path = resolve(operation.path) as string;
        const [, type = '', id] = path.split('/');
        const data = resolve(operation.data) as Record<string, unknown> | undefined;
        if (operation.method === 'POST') {
          if (data?.userName === 'conflict')
            throw Object.assign(new Error('userName taken'), { status: 409 });
          const created = create(type, data ?? {});
          if (operation.bulkId) ids.set(operation.bulkId, created.id);
          Object.assign(entry, {
            status: '201',
            location: `http://localhost/${type}/${created.id}`,
            version: version(created),
          });
        } else if (operation.method === 'PATCH') {
          const target = store(type).get(id ?? '');
          if (!target) throw Object.assign(new Error('not found'), { status: 404 });
          applyPatch(target, (data as { Operations: [] }).Operations);
          Object.assign(entry, { status: '200', location: `http://localhost/${type}/${id}` });
        } else if (operation.method === 'DELETE') {
          if (!store(type).delete(id ?? '')) throw Object.assign(new Error('not found'), { status: 404 });
          Object.assign(entry, { status: '204' });
        } else {
          throw Object.assign(new Error('unsupported'), { status: 400 });
        }
      } catch (error) {
        errors++;
        const status = (error as { status?: number }).status ?? 400;
        Object.assign(entry, {
          status: String(status),
          response: { schemas: [ERROR], status: String(status), detail: (error as Error).message },
        });
      }
      results.push(entry);
    }
    send(response, 200, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: results,
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const body = await readJson(request);
    state.log.push({ method, url, headers: request.headers, body });
    const scriptedIndex = state.script.findIndex(
      (entry) => entry.method === undefined || entry.method === method,
    );
    if (scriptedIndex >= 0) {
      const [entry] = state.script.splice(scriptedIndex, 1);
      if (entry) {
        if (entry.delay) await new Promise((resolve) => setTimeout(resolve, entry.delay));
        if (response.destroyed) return;
        if (typeof entry.body === 'string') {
          response.writeHead(entry.status, { 'content-type': 'text/plain', ...entry.headers });
          response.end(entry.body);
        } else {
          send(response, entry.status, entry.body, entry.headers);
        }
        return;
      }
    }
    if (request.headers.authorization !== 'Bearer test-token') return fail(response, 401, 'bad token');
    const segments = url.pathname.split('/').filter(Boolean).slice(1); // drop the /scim prefix
    const [type = '', id, action] = segments.map(decodeURIComponent);
    if (type === 'ServiceProviderConfig') {
      return state.quirks.serviceProviderConfig
        ? send(response, 200, state.quirks.serviceProviderConfig)
        : fail(response, 404, 'no ServiceProviderConfig here');
    }
    if (type === 'Bulk' && method === 'POST') return bulk(response, body as Record<string, unknown>);
    if (!state.resources.has(type)) return fail(response, 404, `unknown endpoint ${type}`);
    if (id === '.search' && method === 'POST') return list(response, type, body as Record<string, unknown>);
    if (action !== undefined) return fail(response, 404, 'unknown path');
    if (id === undefined) {
      if (method === 'GET') return list(response, type, url.searchParams);
      if (method === 'POST') {
        const created = create(type, body as Record<string, unknown>);
        const location = `/scim${String(created.meta.location)}`;
        if (state.quirks.createWithoutBody) {
          const header =
            typeof state.quirks.createWithoutBody === 'string' ? state.quirks.createWithoutBody : location;
          return send(response, 201, undefined, { location: header });
        }
        return send(response, 201, output(created), { etag: version(created), location });
      }
      return fail(response, 405, 'method not allowed');
    }
    const resource = store(type).get(id);
    if (!resource) return fail(response, 404, `Resource ${id} not found`);
    const ifMatch = request.headers['if-match'];
    if (method !== 'GET' && ifMatch !== undefined && ifMatch !== version(resource)) {
      return fail(response, 412, `version mismatch: resource is at ${version(resource)}`);
    }
    if (method === 'GET') return send(response, 200, output(resource), { etag: version(resource) });
    if (method === 'PUT') {
      const replaced: Resource = { ...(body as Record<string, unknown>), id, meta: resource.meta };
      bump(replaced);
      store(type).set(id, replaced);
      return send(response, 200, output(replaced), { etag: version(replaced) });
    }
    if (method === 'PATCH') {
      applyPatch(resource, (body as { Operations: [] }).Operations);
      if (state.quirks.patchNoContent) return send(response, 204);
      return send(response, 200, output(resource), { etag: version(resource) });
    }
    if (method === 'DELETE') {
      store(type).delete(id);
      return send(response, 204);
    }
    return fail(response, 405, 'method not allowed');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) fail(response, 500, String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    ...state,
    url: `http://127.0.0.1:${port}/scim`,
    get quirks() {
      return state.quirks;
    },
    set quirks(value) {
      state.quirks = value;
    },
    seedUsers(count) {
      for (let index = 0; index < count; index++) {
        create('Users', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `user${index + 1}`,
        });
      }
    },
    reset() {
      nextId = 1;
      state.quirks = {};
      state.script.length = 0;
      state.log.length = 0;
      for (const resources of state.resources.values()) resources.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Starts one quirky server for the calling test file (closed after it, reset before each
 * test) and returns a stand-in that forwards to it once it runs.
 */
export function useQuirkyServer(): QuirkyServer {
  let current: QuirkyServer | undefined;
  beforeAll(async () => {
    current = await startQuirkyServer();
  });
  afterAll(() => current?.close());
  beforeEach(() => current?.reset());
  const started = () => {
    if (!current) throw new Error('The quirky server is used before beforeAll started it.');
    return current;
  };
  return new Proxy({} as QuirkyServer, {
    get: (_target, key) => Reflect.get(started(), key),
    set: (_target, key, value) => Reflect.set(started(), key, value),
  });
}
