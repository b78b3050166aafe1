/**
 * Cleanup: every resource the run creates is seen on the wire (a 201 to `POST /Users` or
 * `/Groups`, a bulk POST's location) and removed at the end, whichever check or sequence
 * created it. DELETE first; a server that refuses DELETE gets its users deactivated instead.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.6
 */
import { record } from './expect.js';
import type { Http, Observed } from './http.js';
import type { CleanupReport, Leftover } from './types.js';

/** A resource the run created. */
interface Created {
  endpoint: '/Users' | '/Groups';
  id: string;
}

/** Statuses that say "this server does not delete" rather than "this failed". */
const DELETE_REFUSED = new Set([400, 403, 405, 409, 501]);

/** Tracks what a run creates, from the exchanges of its {@link Http}. */
export class Tracker {
  readonly #http: Http;
  readonly #created = new Map<string, Created>();

  constructor(http: Http) {
    this.#http = http;
    http.observe((observed) => this.#see(observed));
  }

  /** The endpoint and id of a URL under the base URL, if it names a User or Group. */
  #resourceOf(url: string): { endpoint: '/Users' | '/Groups'; id: string | undefined } | undefined {
    const base = new URL(this.#http.baseUrl);
    let target: URL;
    try {
      target = new URL(url, base);
    } catch {
      return undefined;
    }
    if (target.origin !== base.origin) return undefined;
    const prefix = base.pathname.replace(/\/+$/, '');
    if (!target.pathname.startsWith(`${prefix}/`)) return undefined;
    const [endpoint, id, ...rest] = target.pathname.slice(prefix.length + 1).split('/');
    const name = endpoint?.toLowerCase();
    if (rest.length > 0 || (name !== 'users' && name !== 'groups')) return undefined;
    return {
      endpoint: name === 'users' ? '/Users' : '/Groups',
      id: id === undefined || id === '' ? undefined : decodeURIComponent(id),
    };
  }

  #add(endpoint: '/Users' | '/Groups', id: string): void {
    this.#created.set(`${endpoint}/${id}`, { endpoint, id });
  }

  #see(observed: Observed): void {
    const target = this.#resourceOf(observed.url);
    if (observed.method === 'POST' && observed.status === 201 && target && target.id === undefined) {
      const body = record(observed.body);
      const location = observed.headers.get('location');
      const id =
        typeof body?.id === 'string' ? body.id : location ? this.#resourceOf(location)?.id : undefined;
      if (id) this.#add(target.endpoint, id);
    } else if (observed.method === 'DELETE' && target?.id && [200, 204, 404].includes(observed.status)) {
      this.#created.delete(`${target.endpoint}/${target.id}`);
    } else if (observed.method === 'POST' && /\/Bulk$/i.test(new URL(observed.url).pathname)) {
      const operations = record(observed.body)?.Operations;
      for (const operation of Array.isArray(operations) ? operations : []) {
        const result = record(operation);
        const location = typeof result?.location === 'string' ? this.#resourceOf(result.location) : undefined;
        if (result?.method === 'POST' && String(result.status).startsWith('201') && location?.id)
          this.#add(location.endpoint, location.id);
      }
    }
  }

  /** How many resources are waiting to be removed. */
  get pending(): number {
    return this.#created.size;
  }

  /**
   * Removes everything created: groups first (so members go before their groups' rows), then
   * users. Users whose DELETE is refused are deactivated with PATCH (or PUT without PATCH).
   */
  async cleanup(options: { patch: boolean }): Promise<CleanupReport> {
    // Cleanup runs after an interrupted run too: without the run's abort signal.
    const http = this.#http.detached();
    let deleted = 0;
    let deactivated = 0;
    const leftovers: Leftover[] = [];
    const order = [...this.#created.values()].sort((a, b) =>
      a.endpoint === b.endpoint ? 0 : a.endpoint === '/Groups' ? -1 : 1,
    );
    for (const { endpoint, id } of order) {
      const path = `${endpoint}/${encodeURIComponent(id)}`;
      let reason: string;
      try {
        const answer = await http.send({ method: 'DELETE', path });
        if (answer.status < 300 || answer.status === 404) {
          deleted++;
          continue;
        }
        reason = `DELETE answered ${answer.status}`;
        if (endpoint === '/Users' && DELETE_REFUSED.has(answer.status)) {
          const result = await deactivate(http, path, options.patch);
          if (result === true) {
            deactivated++;
            continue;
          }
          reason += `; ${result}`;
        }
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      leftovers.push({ endpoint, id, reason });
    }
    this.#created.clear();
    return { deleted, deactivated, leftovers };
  }
}

/** Deactivates a user; true, or what the server answered. */
async function deactivate(http: Http, path: string, patch: boolean): Promise<true | string> {
  if (patch) {
    const answer = await http.send({
      method: 'PATCH',
      path,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      },
    });
    return answer.status < 300 ? true : `deactivating with PATCH answered ${answer.status}`;
  }
  const current = await http.send({ method: 'GET', path });
  const body = record(current.body);
  if (current.status !== 200 || !body) return `reading it to deactivate answered ${current.status}`;
  const answer = await http.send({ method: 'PUT', path, body: { ...body, active: false } });
  return answer.status < 300 ? true : `deactivating with PUT answered ${answer.status}`;
}
