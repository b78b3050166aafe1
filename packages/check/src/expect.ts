/**
 * Assertions of the checks. Each failure carries what was expected and the exchange that
 * showed the problem; answers are read leniently (a check fails on what it checks, and says
 * so plainly when an answer is not even readable).
 */
import { ERROR_SCHEMA, LIST_RESPONSE_SCHEMA } from '@scimkit/schema/errors';
import type { Answer } from './http.js';
import type { CheckFailureDetails, RecordedExchange } from './types.js';

/** Thrown by the assertions: a check that found the server wrong. */
export class CheckFailure extends Error {
  /** What went wrong, what was expected, and the exchange. */
  readonly details: CheckFailureDetails;

  constructor(details: CheckFailureDetails) {
    super(details.message);
    this.name = 'CheckFailure';
    this.details = details;
  }
}

/** What an assertion failure names besides its message. */
export interface FailOptions {
  expected: string;
  actual?: string | undefined;
  /** The answer (or exchange) that showed the problem. */
  answer?: Answer | RecordedExchange | undefined;
}

function exchangeOf(answer: Answer | RecordedExchange | undefined): RecordedExchange | undefined {
  if (!answer) return undefined;
  return 'exchange' in answer ? answer.exchange : answer;
}

/** Fails the running check. */
export function fail(message: string, options: FailOptions): never {
  const exchange = exchangeOf(options.answer);
  throw new CheckFailure({
    message,
    expected: options.expected,
    ...(options.actual === undefined ? {} : { actual: options.actual }),
    ...(exchange ? { exchange } : {}),
  });
}

/** Fails unless `condition` holds. */
export function ensure(condition: unknown, message: string, options: FailOptions): asserts condition {
  if (!condition) fail(message, options);
}

/** `GET /Users?filter=userName eq "x"`: the request, readable (path and decoded query). */
export function requestLine(answer: Answer | RecordedExchange): string {
  const { request } = exchangeOf(answer) as RecordedExchange;
  let target = request.url;
  try {
    const url = new URL(request.url);
    target = url.pathname + (url.search ? decodeURIComponent(url.search.replace(/\+/g, ' ')) : '');
  } catch {
    // keep the URL as sent
  }
  return `${request.method} ${target}`;
}

/** A JSON object (not an array), or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A short JSON rendering of a value for messages. */
export function show(value: unknown, limit = 200): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Fails unless the answer's status is one of `allowed`. */
export function expectStatus(answer: Answer, allowed: number | readonly number[], expected?: string): void {
  const statuses = typeof allowed === 'number' ? [allowed] : allowed;
  if (statuses.includes(answer.status)) return;
  fail(`${requestLine(answer)} answered ${answer.status}, expected ${statuses.join(' or ')}`, {
    expected: expected ?? `HTTP ${statuses.join(' or ')}`,
    answer,
  });
}

/**
 * Fails unless the answer is an RFC 7644 Error: the HTTP status, a body with the Error schema
 * and `status` as a string of the same number, and `scimType` when one is given.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export function expectScimError(answer: Answer, status: number, scimType?: string): void {
  const wanted = `HTTP ${status} with an Error body (schemas [${ERROR_SCHEMA}], status "${status}"${
    scimType ? `, scimType "${scimType}"` : ''
  })`;
  expectStatus(answer, status, wanted);
  const body = record(answer.body);
  ensure(body, `${requestLine(answer)} answered ${status} without a JSON Error body`, {
    expected: wanted,
    answer,
  });
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  ensure(schemas.includes(ERROR_SCHEMA), `the ${status} answer's body does not carry the Error schema URN`, {
    expected: wanted,
    actual: `schemas ${show(body.schemas)}`,
    answer,
  });
  ensure(body.status === String(status), `the Error body's status is ${show(body.status)}`, {
    expected: `"status": "${status}" (the HTTP status as a JSON string)`,
    answer,
  });
  if (scimType !== undefined) {
    ensure(body.scimType === scimType, `the Error body's scimType is ${show(body.scimType)}`, {
      expected: `"scimType": "${scimType}"`,
      answer,
    });
  }
}

/** Fails unless the resource's `schemas` lists `urn`. */
export function expectSchema(answer: Answer, resource: Record<string, unknown>, urn: string): void {
  const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
  ensure(
    schemas.some((item) => typeof item === 'string' && item.toLowerCase() === urn.toLowerCase()),
    `its schemas is ${show(resource.schemas)}`,
    { expected: `"schemas" listing ${urn}`, answer },
  );
}

/** The body as a resource object, or a failure saying what came instead. */
export function resourceOf(answer: Answer, what = 'the resource'): Record<string, unknown> {
  const body = record(answer.body);
  if (body) return body;
  return fail(`${requestLine(answer)} answered ${answer.status} without ${what} in the body`, {
    expected: `${what} as a JSON object`,
    answer,
  });
}

/** A ListResponse as read leniently. */
export interface ListView {
  /** The resources (the body itself when it is a bare array). */
  resources: Record<string, unknown>[];
  /** Whether the body is a ListResponse object at all. */
  isListResponse: boolean;
  totalResults: number | undefined;
  startIndex: number | undefined;
  itemsPerPage: number | undefined;
  nextCursor: string | undefined;
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Reads a list answer leniently (a bare array is taken as its resources; `Resources` absent
 * means none), failing only when no list can be read at all. Shape problems are the business
 * of `paging.list-response`.
 */
export function readList(answer: Answer): ListView {
  if (Array.isArray(answer.body)) {
    return {
      resources: answer.body.map((item: unknown) => record(item) ?? {}),
      isListResponse: false,
      totalResults: undefined,
      startIndex: undefined,
      itemsPerPage: undefined,
      nextCursor: undefined,
    };
  }
  const body = record(answer.body);
  ensure(body, `${requestLine(answer)} answered ${answer.status} without a list in the body`, {
    expected: 'HTTP 200 with a ListResponse',
    answer,
  });
  const key = Object.keys(body).find((name) => name.toLowerCase() === 'resources');
  const resources = key === undefined ? [] : body[key];
  ensure(Array.isArray(resources), `the ListResponse's Resources is not an array`, {
    expected: '"Resources": [ … ]',
    answer,
  });
  return {
    resources: resources.map((item: unknown) => record(item) ?? {}),
    isListResponse: Array.isArray(body.schemas) && body.schemas.includes(LIST_RESPONSE_SCHEMA),
    totalResults: numeric(body.totalResults),
    startIndex: numeric(body.startIndex),
    itemsPerPage: numeric(body.itemsPerPage),
    nextCursor: typeof body.nextCursor === 'string' && body.nextCursor !== '' ? body.nextCursor : undefined,
  };
}

/** A list answer: status 200 and a readable list. */
export function listOf(answer: Answer): ListView {
  expectStatus(answer, 200, 'HTTP 200 with a ListResponse');
  return readList(answer);
}

/** The `totalResults` of a list answer, or a failure saying it is missing. */
export function totalOf(answer: Answer, list: ListView = readList(answer)): number {
  if (list.totalResults !== undefined) return list.totalResults;
  return fail(`${requestLine(answer)} answered without a numeric totalResults`, {
    expected: 'a ListResponse with "totalResults" (RFC 7644 section 3.4.2)',
    answer,
  });
}

/** The ids of resources (those without a string id are left out). */
export function idsOf(resources: readonly Record<string, unknown>[]): string[] {
  return resources.map((resource) => resource.id).filter((id): id is string => typeof id === 'string');
}

/**
 * Fails unless the ids found are exactly `expected` (in any order, each once). `names` maps
 * ids to readable names for the message.
 */
export function expectIds(
  answer: Answer,
  found: readonly string[],
  expected: readonly string[],
  names: ReadonlyMap<string, string> = new Map(),
): void {
  const name = (id: string) => names.get(id) ?? id;
  const list = (ids: readonly string[]) =>
    ids.length === 0 ? 'no resources' : [...ids].map(name).sort().join(', ');
  const same =
    found.length === expected.length &&
    new Set(found).size === found.length &&
    expected.every((id) => found.includes(id));
  if (same) return;
  fail(`${requestLine(answer)} found ${list(found)}`, {
    expected: list(expected),
    actual: list(found),
    answer,
  });
}

/** Whether an attribute counts as unassigned: absent, null or an empty list (RFC 7643 section 2.5). */
export function unassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * Where `actual` differs from `expected`, as `toMatchObject` reads it: every key of an
 * expected object must match (other keys are ignored), arrays match element by element with
 * the same length, anything else must be equal. Undefined when it matches.
 */
export function mismatch(actual: unknown, expected: unknown, path = ''): string | undefined {
  const at = path || 'the body';
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is ${show(actual)}, expected a list`;
    if (actual.length !== expected.length)
      return `${at} has ${actual.length} values, expected ${expected.length}: ${show(actual)}`;
    for (let index = 0; index < expected.length; index++) {
      const found = mismatch(actual[index], expected[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  const wanted = record(expected);
  if (wanted) {
    const object = record(actual);
    if (!object) return `${at} is ${show(actual)}, expected an object`;
    for (const [key, value] of Object.entries(wanted)) {
      const found = mismatch(object[key], value, path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${at} is ${show(actual)}, expected ${show(expected)}`;
}

/** Fails unless `actual` matches `expected` as {@link mismatch} reads it. */
export function expectMatch(answer: Answer, actual: unknown, expected: unknown, what: string): void {
  const found = mismatch(actual, expected);
  if (found) fail(`${what}: ${found}`, { expected: show(expected, 400), answer });
}
