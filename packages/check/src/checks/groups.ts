/**
 * Group CRUD and membership as IdPs push it.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 */
import { GROUP_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { ensure, expectScimError, expectStatus, record, resourceOf, show } from '../expect.js';
import { population, team } from '../fixtures.js';
import { expectLocation } from './users.js';

/** The member ids of a group as returned. */
export function memberIds(group: Record<string, unknown>): string[] {
  const members = Array.isArray(group.members) ? group.members : [];
  return members
    .map((member) => record(member)?.value)
    .filter((value): value is string => typeof value === 'string');
}

async function postGroup(context: CheckContext, memberIds: readonly string[] = []) {
  const displayName = context.unique('group');
  const answer = await context.send({
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP_SCHEMA], displayName, members: memberIds.map((value) => ({ value })) },
  });
  return { answer, displayName };
}

export const groupChecks = [
  defineCheck({
    id: 'groups.create',
    group: 'groups',
    title: 'POST /Groups with members answers 201 with the group',
    rfc: rfc7644('3.3'),
    idps: ['entra-id', 'okta'],
    requires: ['groups'],
    why: 'Group push creates groups with their members and keeps the id of the 201 answer.',
    async run(context) {
      const { alice } = await context.fixture(population);
      const { answer, displayName } = await postGroup(context, [alice.id]);
      expectStatus(answer, 201);
      const group = await context.afterWrite(answer, '/Groups');
      ensure(
        typeof group.id === 'string' && group.displayName === displayName,
        'the created group is not there',
        {
          expected: `a group with an id and displayName "${displayName}"`,
          actual: show(group),
          answer,
        },
      );
      ensure(memberIds(group).includes(alice.id), `its members are ${show(group.members)}`, {
        expected: `members [{ "value": "${alice.id}" }]`,
        answer,
      });
      ensure(
        record(group.meta)?.resourceType === 'Group',
        `meta.resourceType is ${show(record(group.meta)?.resourceType)}`,
        {
          expected: '"meta": { "resourceType": "Group", … }',
          answer,
        },
      );
    },
  }),
  defineCheck({
    id: 'groups.location',
    group: 'groups',
    title: 'POST /Groups sets Location (and meta.location) to the new group',
    rfc: rfc7644('3.3'),
    requires: ['groups'],
    why: 'The URI of a created resource SHALL be in the Location header and in meta.location.',
    async run(context) {
      const { answer } = await postGroup(context);
      await expectLocation(context, answer, '/Groups');
    },
  }),
  defineCheck({
    id: 'groups.get',
    group: 'groups',
    title: 'GET /Groups/<id> returns the group with its members',
    rfc: rfc7644('3.4.1'),
    idps: ['okta'],
    requires: ['groups'],
    why: 'Retrieving a known resource answers 200 with it; members are returned by default.',
    async run(context) {
      const group = await context.fixture(team);
      const { alice, bob } = await context.fixture(population);
      const answer = await context.read('/Groups', group.id);
      expectStatus(answer, 200);
      const found = resourceOf(answer);
      const ids = memberIds(found);
      ensure(
        ids.length === 2 && ids.includes(alice.id) && ids.includes(bob.id),
        `its members are ${show(found.members)}`,
        {
          expected: `the two members ${alice.id} and ${bob.id}`,
          answer,
        },
      );
    },
  }),
  defineCheck({
    id: 'groups.replace',
    group: 'groups',
    title: 'PUT /Groups/<id> replaces displayName and the member list',
    rfc: rfc7644('3.5.1'),
    requires: ['groups'],
    why: 'PUT replaces the whole resource, members included.',
    async run(context) {
      const { alice, bob } = await context.fixture(population);
      const { answer: created } = await postGroup(context, [alice.id]);
      expectStatus(created, 201);
      const id = String((await context.afterWrite(created, '/Groups')).id);
      const displayName = context.unique('renamed');
      const answer = await context.send({
        method: 'PUT',
        path: `/Groups/${encodeURIComponent(id)}`,
        body: { schemas: [GROUP_SCHEMA], displayName, members: [{ value: bob.id }] },
      });
      expectStatus(answer, 200);
      const group = await context.afterWrite(answer, '/Groups', id);
      ensure(group.displayName === displayName, `displayName is ${show(group.displayName)}`, {
        expected: `"displayName": "${displayName}"`,
        answer,
      });
      const ids = memberIds(group);
      ensure(ids.length === 1 && ids[0] === bob.id, `its members are ${show(group.members)}`, {
        expected: `members [{ "value": "${bob.id}" }] only`,
        answer,
      });
    },
  }),
  defineCheck({
    id: 'groups.delete',
    group: 'groups',
    title: 'DELETE /Groups/<id> answers 204, then the group is gone (404)',
    rfc: rfc7644('3.6'),
    idps: ['entra-id', 'okta'],
    requires: ['groups'],
    why: 'A deleted resource answers 404 to every later request.',
    async run(context) {
      const { answer: created } = await postGroup(context);
      expectStatus(created, 201);
      const path = `/Groups/${encodeURIComponent(String(resourceOf(created).id))}`;
      expectStatus(await context.send({ method: 'DELETE', path }), 204);
      expectScimError(await context.send({ method: 'GET', path }), 404);
    },
  }),
  defineCheck({
    id: 'groups.user-groups',
    group: 'groups',
    title: 'a member User lists the group in its groups attribute',
    level: 'advisory',
    rfc: rfc7643('4.1.2'),
    requires: ['groups'],
    why: '"groups" is the read-only view of a User\'s memberships; clients read it to reconcile.',
    async run(context) {
      const group = await context.fixture(team);
      const { alice } = await context.fixture(population);
      const answer = await context.read('/Users', alice.id);
      expectStatus(answer, 200);
      const user = resourceOf(answer);
      const groups = Array.isArray(user.groups) ? user.groups.map((item) => record(item)?.value) : [];
      ensure(groups.includes(group.id), `its groups are ${show(user.groups)}`, {
        expected: `groups including { "value": "${group.id}" }`,
        answer,
      });
    },
  }),
];
