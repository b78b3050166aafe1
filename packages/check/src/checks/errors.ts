/**
 * Errors: status, scimType and the Error schema for 400, 401, 404 and 412 (409 is in
 * uniqueness.ts), and the ETag rules 412 belongs to.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
import { PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { ensure, expectScimError, expectStatus, resourceOf, show } from '../expect.js';

const SECTION = rfc7644('3.12');
const VERSIONING = rfc7644('3.14');

/** A path of a user that does not exist. */
function unknownUser(context: CheckContext): string {
  return `/Users/${context.prefix}-does-not-exist-${crypto.randomUUID()}`;
}

/** Creates a user and returns its path, body and the ETag of a GET. */
async function versioned(context: CheckContext) {
  const userName = context.userName('etag');
  const created = await context.send({
    method: 'POST',
    path: '/Users',
    body: { schemas: [USER_SCHEMA], userName, displayName: 'Version One', active: true },
  });
  expectStatus(created, 201);
  const id = String(resourceOf(created).id);
  const path = `/Users/${encodeURIComponent(id)}`;
  const read = await context.send({ method: 'GET', path });
  expectStatus(read, 200);
  const etag = read.headers.get('etag');
  ensure(etag, `GET ${path} answered without an ETag header`, {
    expected: 'an ETag header (etag is advertised)',
    answer: read,
  });
  return { created, read, path, userName, etag };
}

export const errorChecks = [
  defineCheck({
    id: 'errors.not-found',
    group: 'errors',
    title: 'GET of an unknown id answers 404 with an Error body',
    rfc: SECTION,
    idps: ['entra-id', 'okta'],
    writes: false,
    why: 'A resource that does not exist is 404 with the Error schema; IdPs treat 404 as "gone" and re-create.',
    async run(context) {
      expectScimError(await context.send({ method: 'GET', path: unknownUser(context) }), 404);
    },
  }),
  defineCheck({
    id: 'errors.not-found-on-write',
    group: 'errors',
    title: 'PUT, PATCH and DELETE of an unknown id answer 404',
    rfc: SECTION,
    why: 'Writes to a resource that does not exist are 404, never a 500 or a silent create.',
    async run(context) {
      const path = unknownUser(context);
      expectScimError(await context.send({ method: 'DELETE', path }), 404);
      const body = { schemas: [USER_SCHEMA], userName: context.userName('ghost') };
      expectScimError(await context.send({ method: 'PUT', path, body }), 404);
      if (context.has('patch')) {
        const operations = {
          schemas: [PATCH_OP_SCHEMA],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        };
        expectScimError(await context.send({ method: 'PATCH', path, body: operations }), 404);
      }
    },
  }),
  defineCheck({
    id: 'errors.unauthorized',
    group: 'errors',
    title: 'a request without a token, or with a wrong one, answers 401',
    rfc: SECTION,
    writes: false,
    why: 'A missing or invalid Authorization header is 401; anything that answers data without the token leaks the directory.',
    async run(context) {
      for (const token of [null, `${context.prefix}-wrong-token`]) {
        const answer = await context.send({ method: 'GET', path: '/Users', query: { count: 1 }, token });
        expectStatus(answer, 401);
      }
    },
  }),
  defineCheck({
    id: 'errors.invalid-json',
    group: 'errors',
    title: 'a body that is not JSON answers 400 with an Error body',
    rfc: SECTION,
    why: 'A malformed request body is a client error (scimType invalidSyntax), never a 500.',
    async run(context) {
      const answer = await context.send({
        method: 'POST',
        path: '/Users',
        rawBody: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ',
      });
      expectScimError(answer, 400);
    },
  }),
  defineCheck({
    id: 'errors.missing-required',
    group: 'errors',
    title: 'a User without userName answers 400 with an Error body',
    rfc: rfc7643('4.1.1'),
    why: 'userName is REQUIRED; a create without it is refused (scimType invalidValue) rather than stored.',
    async run(context) {
      const answer = await context.send({
        method: 'POST',
        path: '/Users',
        body: { schemas: [USER_SCHEMA], displayName: 'No Username' },
      });
      expectScimError(answer, 400);
    },
  }),
  defineCheck({
    id: 'errors.precondition-failed',
    group: 'errors',
    title: 'a write with a stale If-Match answers 412 and changes nothing',
    rfc: VERSIONING,
    requires: ['etag'],
    why: 'With ETags advertised, a write whose If-Match no longer matches is refused with 412 Precondition Failed, so concurrent updates are not lost.',
    async run(context) {
      const { path, userName, etag } = await versioned(context);
      const changed = await context.send({
        method: 'PUT',
        path,
        body: { schemas: [USER_SCHEMA], userName, displayName: 'Version Two', active: true },
      });
      expectStatus(changed, 200);
      const stale = await context.send({
        method: 'PUT',
        path,
        headers: { 'if-match': etag },
        body: { schemas: [USER_SCHEMA], userName, displayName: 'Lost Update', active: true },
      });
      expectScimError(stale, 412);
      const read = await context.send({ method: 'GET', path });
      ensure(
        resourceOf(read).displayName === 'Version Two',
        `displayName is ${show(resourceOf(read).displayName)}`,
        {
          expected: 'displayName "Version Two": the stale write refused',
          answer: read,
        },
      );
    },
  }),
];

export const etagChecks = [
  defineCheck({
    id: 'etag.headers',
    group: 'etag',
    title: 'writes and reads carry an ETag equal to meta.version',
    rfc: VERSIONING,
    requires: ['etag'],
    why: 'When ETags are supported they MUST be sent as an HTTP header, and meta.version must equal it (RFC 7643 section 3.1).',
    async run(context) {
      const { created, read, etag } = await versioned(context);
      const createdTag = created.headers.get('etag');
      ensure(createdTag, 'POST answered 201 without an ETag header', {
        expected: 'an ETag header on the 201',
        answer: created,
      });
      for (const [answer, tag] of [
        [created, createdTag],
        [read, etag],
      ] as const) {
        const version = (resourceOf(answer).meta as { version?: unknown } | undefined)?.version;
        if (version !== undefined) {
          ensure(version === tag, `meta.version is ${show(version)} but ETag is ${tag}`, {
            expected: 'meta.version equal to the ETag header',
            answer,
          });
        }
      }
    },
  }),
  defineCheck({
    id: 'etag.changes',
    group: 'etag',
    title: 'the ETag changes when the resource changes, and If-Match with it succeeds',
    rfc: VERSIONING,
    requires: ['etag'],
    why: 'A version identifies one state of the resource: a write with the current If-Match succeeds and yields a new version.',
    async run(context) {
      const { path, userName, etag } = await versioned(context);
      const answer = await context.send({
        method: 'PUT',
        path,
        headers: { 'if-match': etag },
        body: { schemas: [USER_SCHEMA], userName, displayName: 'Version Two', active: true },
      });
      expectStatus(answer, 200, 'HTTP 200: If-Match carries the current version');
      const read = await context.send({ method: 'GET', path });
      const next = read.headers.get('etag');
      ensure(next && next !== etag, `the ETag is still ${show(next)}`, {
        expected: `an ETag other than ${etag}`,
        answer: read,
      });
    },
  }),
  defineCheck({
    id: 'etag.if-none-match',
    group: 'etag',
    title: 'GET with If-None-Match of the current version answers 304',
    level: 'advisory',
    rfc: VERSIONING,
    requires: ['etag'],
    why: 'A conditional GET whose version still matches answers 304 Not Modified without a body.',
    async run(context) {
      const { path, etag } = await versioned(context);
      expectStatus(await context.send({ method: 'GET', path, headers: { 'if-none-match': etag } }), 304);
    },
  }),
];
