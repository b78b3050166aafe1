/**
 * A deliberately faulty SCIM server for the checks' own tests: scimkit's server on the memory
 * store, behind a layer that breaks exactly the behaviours asked for, each the way real
 * servers get it wrong. With no fault it is scimkit's server unchanged.
 */
import { createMemoryStore, createScimServer, type ScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';

/** The faults the layer can inject. */
export type Fault =
  /** `totalResults` counts the page, not the matches. */
  | 'total-results-of-page'
  /** `userName eq "…"` compares case-sensitively. */
  | 'case-sensitive-username'
  /** Users come back with the password they were given. */
  | 'password-returned'
  /** 201 answers carry no Location header. */
  | 'no-location'
  /** PATCH refuses op names that are not lower-case ("Replace"). */
  | 'lowercase-ops-only'
  /** /Users and /Groups lists are answered as a bare JSON array of resources. */
  | 'bare-array-lists'
  /** A malformed filter crashes the server: 500 instead of 400 invalidFilter. */
  | 'filter-500'
  /** DELETE of users and groups is refused with 405. */
  | 'no-delete';

/** A running faulty server. */
export interface FaultyServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const isList = (url: URL) => /\/(Users|Groups)$/i.test(url.pathname);
const json = (body: unknown, init: ResponseInit) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/scim+json', ...Object.fromEntries(new Headers(init.headers)) },
  });
const scimError = (status: number, detail: string, scimType?: string) =>
  json(
    {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      detail,
      ...(scimType ? { scimType } : {}),
    },
    { status },
  );

/** Wraps `server` so that it shows `faults`. */
function faulty(server: ScimServer, faults: ReadonlySet<Fault>): ScimServer {
  const passwords = new Map<string, string>();
  const withPassword = (resource: unknown) => {
    const record = resource as Json;
    const password = typeof record?.id === 'string' ? passwords.get(record.id) : undefined;
    return password === undefined ? resource : { ...record, password };
  };
  return {
    basePath: server.basePath,
    async fetch(request) {
      const url = new URL(request.url);
      const sent =
        request.method === 'GET' || request.method === 'DELETE'
          ? undefined
          : ((await request
              .clone()
              .json()
              .catch(() => undefined)) as Json | undefined);
      if (faults.has('no-delete') && request.method === 'DELETE')
        return scimError(405, 'DELETE is not supported.');
      if (faults.has('lowercase-ops-only') && request.method === 'PATCH') {
        const operations = Array.isArray(sent?.Operations) ? (sent.Operations as Json[]) : [];
        const bad = operations.find((operation) => operation.op !== String(operation.op).toLowerCase());
        if (bad) return scimError(400, `Unknown op "${String(bad.op)}".`, 'invalidSyntax');
      }
      const response = await server.fetch(request);
      const headers = new Headers(response.headers);
      if (faults.has('no-location')) headers.delete('location');
      if (faults.has('filter-500') && response.status === 400) {
        const body = (await response.clone().json()) as Json;
        if (body.scimType === 'invalidFilter') return new Response('Internal Server Error', { status: 500 });
      }
      const text = await response.text();
      if (!text || !(headers.get('content-type') ?? '').includes('json'))
        return new Response(text || null, { status: response.status, headers });
      let body = JSON.parse(text) as Json;
      if (faults.has('password-returned')) {
        const id = typeof body.id === 'string' ? body.id : url.pathname.split('/').pop();
        const password =
          sent?.password ??
          (sent?.Operations as Json[] | undefined)?.find((operation) => operation.path === 'password')?.value;
        if (typeof password === 'string' && response.status < 300 && id) passwords.set(id, password);
        body = Array.isArray(body.Resources)
          ? { ...body, Resources: body.Resources.map(withPassword) }
          : (withPassword(body) as Json);
      }
      if (request.method === 'GET' && isList(url) && Array.isArray(body.Resources)) {
        let resources = body.Resources as Json[];
        const filter = /^username eq "(.*)"$/i.exec(url.searchParams.get('filter') ?? '');
        if (faults.has('case-sensitive-username') && filter) {
          resources = resources.filter((resource) => resource.userName === filter[1]);
          body = {
            ...body,
            totalResults: resources.length,
            itemsPerPage: resources.length,
            Resources: resources,
          };
        }
        if (faults.has('total-results-of-page')) body = { ...body, totalResults: resources.length };
        if (faults.has('bare-array-lists')) return json(resources, { status: response.status, headers });
      }
      return json(body, { status: response.status, headers });
    },
  };
}

/** Starts scimkit's server on the memory store with `faults`, on 127.0.0.1. */
export async function startFaultyServer(faults: readonly Fault[] = []): Promise<FaultyServer> {
  const token = `faulty-${Math.random().toString(36).slice(2)}`;
  const server = createScimServer({ store: createMemoryStore(), auth: { tokens: [token] } });
  const running = await serveNode({ server: faulty(server, new Set(faults)), host: '127.0.0.1' });
  return { url: `${running.url}/scim/v2`, token, close: () => running.close() };
}
