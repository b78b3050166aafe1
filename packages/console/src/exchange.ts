/**
 * The records the console keeps and sends: one per SCIM exchange, everything already redacted.
 * The list and the live stream carry {@link ExchangeSummary}; the detail view reads the whole
 * {@link ExchangeRecord}.
 */
import type { Change } from './diff.js';
import type { StoryStep } from './story.js';

/** A request or response body as captured (redacted, pretty-printed when it is JSON). */
export interface CapturedBody {
  /** The text, cut at the capture limit. */
  text: string;
  /** Whether the body was JSON (then `text` is indented). */
  json: boolean;
  /** Whether `text` stops before the end of the body. */
  truncated: boolean;
}

/** One side of an exchange: headers in the order sent, and the body if there was one. */
export interface CapturedMessage {
  /** `[name, value]` pairs, lower-case names; credentials read `[redacted]`. */
  headers: [string, string][];
  /** The body, absent when empty. */
  body?: CapturedBody;
}

/** The SCIM Error a response carried (RFC 7644 section 3.12). */
export interface ScimErrorSummary {
  /** The HTTP status, as the body gives it (a string). */
  status: string;
  /** `invalidFilter`, `uniqueness`, `mutability`, … */
  scimType?: string;
  /** What went wrong, as the server explained it. */
  detail?: string;
}

/** What a write did to the store: a creation, replacement, PATCH or deletion. */
export type StoreChangeKind = 'created' | 'replaced' | 'patched' | 'deleted';

/** One change to the store an exchange made (a bulk request makes several). */
export interface StoreChange {
  /** What happened. */
  kind: StoreChangeKind;
  /** Whether the change turned `active` from true to false (the server's `onDeactivated`). */
  deactivated: boolean;
  /** `User`, `Group`, or a custom resource type. */
  resourceType: string;
  /** The resource id. */
  id: string;
  /** Attribute by attribute, before and after (sensitive values read `[redacted]`). */
  diff: Change[];
  /** How many more changes there were than `diff` lists. */
  omitted: number;
  /**
   * Attributes the server dropped from this write because no schema defines them (its
   * `onIgnoredAttributes`), as the client sent them: `shoeSize`, `members.displayName`.
   */
  ignored?: string[];
  /** The resource before, as indented JSON (absent for creations). */
  before?: string;
  /** The resource after, as indented JSON (absent for deletions). */
  after?: string;
}

/** A store change as the list and the flow view need it. */
export interface StoreChangeSummary {
  /** What happened. */
  kind: StoreChangeKind;
  /** Whether `active` went from true to false. */
  deactivated: boolean;
  /** The resource type. */
  resourceType: string;
  /** The resource id. */
  id: string;
  /** How many attributes the server dropped from this write (see {@link StoreChange.ignored}). */
  ignored?: number;
}

/** Who sent an exchange: a real client, or the console's "Run the demo". */
export type ExchangeSource = 'client' | 'demo';

/** One exchange as the list shows it: enough to filter, draw the flow, and open the detail. */
export interface ExchangeSummary {
  /** Increasing number, in the order exchanges completed (the event id of the live stream). */
  id: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  /** From the request to the response headers, in milliseconds. */
  durationMs: number;
  /** The HTTP method. */
  method: string;
  /** Path and query, decoded for reading, secrets redacted. */
  path: string;
  /** The first path segment after the base path: `Users`, `Groups`, `ServiceProviderConfig`, `Bulk`, … */
  resource: string;
  /** The HTTP status of the response. */
  status: number;
  /**
   * Who sent it: the principal's `id` from the server's event hooks, a label given to its token
   * (`tokenLabels`), `bearer 1a2b3c4d` (a keyed fingerprint, never the token), or `no token`.
   */
  principal: string;
  /** A real client, or the console's demo. */
  source: ExchangeSource;
  /** The step of the joiner-mover-leaver story this exchange is (the demo's own, or guessed). */
  step: StoryStep;
  /** The SCIM error of a failed exchange. */
  error?: ScimErrorSummary;
  /** What the exchange changed in the store. */
  changes: StoreChangeSummary[];
}

/** One exchange with everything the detail view shows. */
export interface ExchangeRecord extends Omit<ExchangeSummary, 'changes'> {
  /** The request as received. */
  request: CapturedMessage;
  /** The response as sent. */
  response: CapturedMessage;
  /** What the exchange changed in the store, with diffs. */
  changes: StoreChange[];
}

/** The summary of a record. */
export function summarize(record: ExchangeRecord): ExchangeSummary {
  const { request: _request, response: _response, changes, ...summary } = record;
  return {
    ...summary,
    changes: changes.map(({ kind, deactivated, resourceType, id, ignored }) => ({
      kind,
      deactivated,
      resourceType,
      id,
      ...(ignored ? { ignored: ignored.length } : {}),
    })),
  };
}
