/**
 * User CRUD: creation (201, Location, server-assigned id and meta), reading, replacing,
 * deleting, the enterprise extension and password changes.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, defineCheck, rfc7643, rfc7644 } from '../context.js';
import {
  ensure,
  expectSchema,
  expectScimError,
  expectStatus,
  fail,
  record,
  resourceOf,
  show,
  unassigned,
} from '../expect.js';
import { sampleUser } from '../fixtures.js';
import type { Answer } from '../http.js';

/** POSTs a new user; returns the answer and the resource it describes. */
async function postUser(context: CheckContext, extra: Record<string, unknown> = {}) {
  const userName = context.userName();
  const answer = await context.send({
    method: 'POST',
    path: '/Users',
    body: { schemas: [USER_SCHEMA], userName, active: true, ...extra },
  });
  return { answer, userName };
}

function isDateTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value));
}

/** A user with a nickName and a title, to replace. */
async function replaced(context: CheckContext): Promise<{ id: string; userName: string }> {
  const { answer, userName } = await postUser(context, { nickName: 'Old Nick', title: 'Old Title' });
  expectStatus(answer, 201);
  return { id: String(resourceOf(answer).id), userName };
}

/** PUTs `values` as the whole user; returns the answer and the user afterwards. */
async function replace(context: CheckContext, id: string, values: Record<string, unknown>) {
  const answer = await context.send({
    method: 'PUT',
    path: `/Users/${encodeURIComponent(id)}`,
    body: { schemas: [USER_SCHEMA], active: true, ...values },
  });
  expectStatus(answer, 200);
  return { answer, user: await context.afterWrite(answer, '/Users', id) };
}

/** Checks the Location header of a 201 (RFC 7644 section 3.3) and that it leads to the resource. */
export async function expectLocation(context: CheckContext, answer: Answer, endpoint: string): Promise<void> {
  expectStatus(answer, 201);
  const location = answer.headers.get('location');
  ensure(location, `${endpoint} answered 201 without a Location header`, {
    expected: 'a Location header with the URI of the new resource',
    answer,
  });
  ensure(/^https?:\/\//i.test(location), `the Location header is not an absolute URI: ${location}`, {
    expected: `an absolute URI such as ${context.http.baseUrl}${endpoint}/<id>`,
    answer,
  });
  const body = record(answer.body);
  const id = typeof body?.id === 'string' ? body.id : undefined;
  const metaLocation = record(body?.meta)?.location;
  if (metaLocation !== undefined) {
    ensure(metaLocation === location, `meta.location is ${show(metaLocation)} but Location is ${location}`, {
      expected: 'meta.location equal to the Location header',
      answer,
    });
  }
  if (new URL(location).origin !== new URL(context.http.baseUrl).origin) return;
  const read = await context.send({ method: 'GET', path: location });
  expectStatus(read, 200, 'the resource at its Location');
  if (id !== undefined) {
    ensure(resourceOf(read).id === id, 'the Location leads to another resource', {
      expected: `the resource with id ${id}`,
      answer: read,
    });
  }
}

export const userChecks = [
  defineCheck({
    id: 'users.create',
    group: 'users',
    title: 'POST /Users answers 201 with the user, a server-assigned id and meta',
    rfc: rfc7644('3.3'),
    idps: ['entra-id', 'okta'],
    why: 'IdPs store the id of the 201 answer and use it in every later request; meta.created and meta.lastModified are dateTimes.',
    async run(context) {
      const { answer, userName } = await postUser(context, { displayName: 'Created By Check' });
      expectStatus(answer, 201);
      const user = resourceOf(answer, 'the created user');
      ensure(typeof user.id === 'string' && user.id !== '', `the created user's id is ${show(user.id)}`, {
        expected: 'a non-empty string id',
        answer,
      });
      ensure(user.userName === userName, `userName came back as ${show(user.userName)}`, {
        expected: `"userName": "${userName}"`,
        answer,
      });
      expectSchema(answer, user, USER_SCHEMA);
      const meta = record(user.meta);
      ensure(meta?.resourceType === 'User', `meta.resourceType is ${show(meta?.resourceType)}`, {
        expected: '"meta": { "resourceType": "User", … }',
        answer,
      });
      for (const name of ['created', 'lastModified']) {
        ensure(isDateTime(meta?.[name]), `meta.${name} is ${show(meta?.[name])}`, {
          expected: `meta.${name} as an xsd:dateTime`,
          answer,
        });
      }
    },
  }),
  defineCheck({
    id: 'users.location',
    group: 'users',
    title: 'POST /Users sets Location (and meta.location) to the new user',
    rfc: rfc7644('3.3'),
    why: 'The URI of a created resource SHALL be in the Location header and in meta.location; clients follow it.',
    async run(context) {
      const { answer } = await postUser(context);
      await expectLocation(context, answer, '/Users');
    },
  }),
  defineCheck({
    id: 'users.ignores-client-id-and-meta',
    group: 'users',
    title: 'id and meta sent by the client are ignored, not stored and not an error',
    rfc: rfc7644('3.3'),
    idps: ['okta'],
    why: 'Attributes whose mutability is readOnly SHALL be ignored in the request body; the id is always assigned by the service provider (RFC 7643 section 3.1).',
    async run(context) {
      const sentId = `${context.prefix}-client-chosen-id`;
      const { answer } = await postUser(context, {
        id: sentId,
        meta: { resourceType: 'Bogus', created: '2001-01-01T00:00:00Z', version: 'W/"client"' },
      });
      expectStatus(answer, 201, 'HTTP 201: readOnly attributes are ignored, not refused');
      const user = resourceOf(answer);
      ensure(user.id !== sentId, 'the server kept the id the client sent', {
        expected: 'an id assigned by the service provider',
        answer,
      });
      const meta = record(user.meta);
      ensure(
        meta?.created !== '2001-01-01T00:00:00Z' && meta?.resourceType !== 'Bogus',
        "the server kept the client's meta",
        {
          expected: 'meta assigned by the service provider',
          actual: show(user.meta),
          answer,
        },
      );
    },
  }),
  defineCheck({
    id: 'users.get',
    group: 'users',
    title: 'GET /Users/<id> returns the user',
    rfc: rfc7644('3.4.1'),
    idps: ['entra-id', 'okta'],
    why: 'Retrieving a known resource answers 200 with the resource.',
    writes: false,
    async run(context) {
      const sample = await sampleUser(context);
      const answer = await context.read('/Users', String(sample.id));
      expectStatus(answer, 200);
      const user = resourceOf(answer);
      ensure(user.id === sample.id && user.userName === sample.userName, 'GET returned another user', {
        expected: `id ${show(sample.id)} with userName ${show(sample.userName)}`,
        actual: `id ${show(user.id)} with userName ${show(user.userName)}`,
        answer,
      });
    },
  }),
  defineCheck({
    id: 'users.media-type',
    group: 'users',
    title: 'responses are application/scim+json',
    level: 'advisory',
    rfc: rfc7644('3.8'),
    why: 'The SCIM media type is the default format; clients that check Content-Type expect it.',
    writes: false,
    async run(context) {
      const sample = await sampleUser(context);
      const answer = await context.read('/Users', String(sample.id));
      expectStatus(answer, 200);
      const type = answer.headers.get('content-type') ?? '';
      ensure(/^application\/scim\+json\b/i.test(type), `Content-Type is ${type || 'missing'}`, {
        expected: 'Content-Type: application/scim+json',
        answer,
      });
    },
  }),
  defineCheck({
    id: 'users.replace',
    group: 'users',
    title: 'PUT /Users/<id> replaces the user with the values sent',
    rfc: rfc7644('3.5.1'),
    idps: ['okta'],
    why: "PUT replaces the resource's attributes with those sent, keeping its id; Okta updates users with PUT.",
    async run(context) {
      const { id, userName } = await replaced(context);
      const { answer, user } = await replace(context, id, {
        userName,
        displayName: 'Replaced',
        title: 'New Title',
      });
      ensure(user.id === id, `the id changed to ${show(user.id)}`, { expected: `id ${id}`, answer });
      ensure(user.displayName === 'Replaced' && user.title === 'New Title', 'the new values are not there', {
        expected: 'displayName "Replaced" and title "New Title"',
        actual: `displayName ${show(user.displayName)}, title ${show(user.title)}`,
        answer,
      });
    },
  }),
  defineCheck({
    id: 'users.replace-clears-omitted',
    group: 'users',
    title: 'attributes left out of a PUT are cleared',
    level: 'advisory',
    rfc: rfc7644('3.5.1'),
    idps: ['okta'],
    why: 'The service provider MAY clear readWrite attributes a PUT leaves out (or assign defaults); an IdP that stops sending an attribute (Okta, once it is unmapped) expects it gone.',
    async run(context) {
      const { id, userName } = await replaced(context);
      const { answer, user } = await replace(context, id, { userName, displayName: 'Replaced' });
      ensure(unassigned(user.nickName), `nickName is still ${show(user.nickName)}`, {
        expected: 'nickName cleared (it was not in the PUT body)',
        answer,
      });
    },
  }),
  defineCheck({
    id: 'users.delete',
    group: 'users',
    title: 'DELETE /Users/<id> answers 204, then the user is gone (404)',
    rfc: rfc7644('3.6'),
    idps: ['entra-id'],
    why: 'A deleted resource answers 404 to every later request; Entra ID deletes users it no longer provisions when the app is set to.',
    async run(context) {
      const { answer: created } = await postUser(context);
      expectStatus(created, 201);
      const path = `/Users/${encodeURIComponent(String(resourceOf(created).id))}`;
      const deleted = await context.send({ method: 'DELETE', path });
      expectStatus(deleted, 204);
      const read = await context.send({ method: 'GET', path });
      expectScimError(read, 404);
    },
  }),
  defineCheck({
    id: 'users.enterprise-extension',
    group: 'users',
    title: 'the enterprise extension is stored and listed in schemas',
    rfc: rfc7643('4.3'),
    idps: ['entra-id'],
    requires: ['enterpriseUser'],
    why: 'Extension attributes live in an object keyed by the extension URN, which must then be in "schemas" (RFC 7643 section 3); Entra ID sends department, manager and employeeNumber this way.',
    async run(context) {
      const { answer } = await postUser(context, {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '4711', department: 'Sales' },
      });
      expectStatus(answer, 201);
      const user = await context.afterWrite(answer, '/Users');
      const extension = record(user[ENTERPRISE_USER_SCHEMA]);
      ensure(
        extension?.employeeNumber === '4711' && extension.department === 'Sales',
        'the extension values are not there',
        {
          expected: `"${ENTERPRISE_USER_SCHEMA}": { "employeeNumber": "4711", "department": "Sales" }`,
          actual: show(user[ENTERPRISE_USER_SCHEMA]),
          answer,
        },
      );
      expectSchema(answer, user, ENTERPRISE_USER_SCHEMA);
    },
  }),
  defineCheck({
    id: 'users.change-password',
    group: 'users',
    title: 'PATCH replace password works and the password never comes back',
    rfc: rfc7643('4.1.1'),
    idps: ['okta'],
    requires: ['changePassword', 'patch'],
    why: 'A server advertising changePassword accepts a new password; password is returned "never", in no response at all. Okta pushes password changes.',
    async run(context) {
      const { answer: created } = await postUser(context, { password: 'Initial-Pass-1!' });
      expectStatus(created, 201);
      const id = String(resourceOf(created).id);
      const answer = await context.send({
        method: 'PATCH',
        path: `/Users/${encodeURIComponent(id)}`,
        body: {
          schemas: [PATCH_OP_SCHEMA],
          Operations: [{ op: 'replace', path: 'password', value: 'Changed-Pass-2!' }],
        },
      });
      expectStatus(answer, [200, 204]);
      if (/Changed-Pass-2!|"password"/i.test(answer.text)) {
        fail('the PATCH answer contains the password', { expected: 'no password in any response', answer });
      }
    },
  }),
];
