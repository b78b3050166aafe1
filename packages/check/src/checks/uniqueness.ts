/**
 * Uniqueness: 409 with scimType "uniqueness" for a duplicate userName, in any case, on create
 * and on replace.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
import { USER_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { expectScimError, expectStatus, resourceOf } from '../expect.js';

/** Creates a user to clash with. */
async function existing(context: CheckContext) {
  const userName = context.userName('Unique');
  const created = await context.send({
    method: 'POST',
    path: '/Users',
    body: { schemas: [USER_SCHEMA], userName },
  });
  expectStatus(created, 201);
  return { userName, id: String(resourceOf(created).id) };
}

export const uniquenessChecks = [
  defineCheck({
    id: 'uniqueness.username',
    group: 'uniqueness',
    title: 'a second user with the same userName answers 409 uniqueness',
    rfc: rfc7644('3.3'),
    idps: ['entra-id', 'okta'],
    why: 'A duplicate userName MUST be refused with 409 and scimType "uniqueness"; IdPs then look the user up and link it.',
    async run(context) {
      const { userName } = await existing(context);
      const answer = await context.send({
        method: 'POST',
        path: '/Users',
        body: { schemas: [USER_SCHEMA], userName },
      });
      expectScimError(answer, 409, 'uniqueness');
    },
  }),
  defineCheck({
    id: 'uniqueness.username-case',
    group: 'uniqueness',
    title: 'a userName differing only in case answers 409 uniqueness',
    rfc: rfc7643('4.1.1'),
    idps: ['okta'],
    why: 'userName is case-insensitive, so "Alice" and "alice" are the same userName: two accounts for one person otherwise.',
    async run(context) {
      const { userName } = await existing(context);
      const answer = await context.send({
        method: 'POST',
        path: '/Users',
        body: { schemas: [USER_SCHEMA], userName: userName.toLowerCase() },
      });
      expectScimError(answer, 409, 'uniqueness');
    },
  }),
  defineCheck({
    id: 'uniqueness.replace',
    group: 'uniqueness',
    title: "a PUT taking another user's userName answers 409 uniqueness",
    rfc: rfc7644('3.12'),
    why: 'Uniqueness holds on replace as on create: 409 with scimType "uniqueness".',
    async run(context) {
      const first = await existing(context);
      const second = await existing(context);
      const answer = await context.send({
        method: 'PUT',
        path: `/Users/${encodeURIComponent(second.id)}`,
        body: { schemas: [USER_SCHEMA], userName: first.userName },
      });
      expectScimError(answer, 409, 'uniqueness');
    },
  }),
];
