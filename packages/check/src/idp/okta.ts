/**
 * Okta's provisioning cycle as it sends it: lookups by userName with startIndex=1&count=100
 * (in any case), create with a password, the 409 on a duplicate, deactivation by a path-less
 * replace, PUT of the whole user it read, and group push (rename with the unchanged id,
 * `replace members []`, members added and removed by filter). The expectations are what Okta
 * reads.
 */
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import {
  ensure,
  expectMatch,
  expectScimError,
  expectStatus,
  fail,
  readList,
  record,
  show,
  totalOf,
} from '../expect.js';
import { afterPatch, type IdpSequence, patchOp, filterQuery as q, type SequenceIo } from './sequence.js';

function memberValues(body: unknown): unknown[] {
  const members = record(body)?.members;
  return Array.isArray(members) ? members.map((member) => record(member)?.value) : [];
}

async function run(io: SequenceIo): Promise<void> {
  const { prefix } = io;
  const userName = `${prefix}-Okta.Person@example.com`;
  const lookup = (step: string, name: string) =>
    io.send(step, 'GET', `/Users?filter=${q(`userName eq "${name}"`)}&startIndex=1&count=100`);

  const missing = await lookup('look the user up', userName.toLowerCase());
  expectStatus(missing, 200);
  ensure(totalOf(missing) === 0, `totalResults is ${totalOf(missing)}`, {
    expected: '"totalResults": 0',
    answer: missing,
  });

  const created = await io.send('create the user', 'POST', '/Users', {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Okta', familyName: 'Person' },
    emails: [{ primary: true, value: `${prefix}-okta.person@example.com`, type: 'work' }],
    displayName: 'Okta Person',
    locale: 'en-US',
    externalId: `${prefix}-00u1abcd`,
    groups: [],
    password: 'Initial-Pass-1',
    active: true,
  });
  expectStatus(created, 201);
  const id = String(record(created.body)?.id);
  const path = `/Users/${encodeURIComponent(id)}`;
  if (created.text.includes('Initial-Pass-1'))
    fail('the password came back', { expected: 'no password in the answer', answer: created });

  // userName is caseExact false: any casing finds the user, and a clash is 409.
  const found = await lookup('look the user up in capitals', userName.toUpperCase());
  expectStatus(found, 200);
  const list = readList(found);
  ensure(
    totalOf(found, list) === 1 && list.resources[0]?.id === id,
    `totalResults ${show(list.totalResults)}, resources ${show(list.resources.map((r) => r.id))}`,
    {
      expected: `"totalResults": 1 and the user ${id}`,
      answer: found,
    },
  );
  expectScimError(
    await io.send('create the user again', 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: userName.replace('Okta.Person', 'okta.person'),
    }),
    409,
    'uniqueness',
  );

  // Deactivation: path-less replace.
  const deactivate = await io.send(
    'deactivate the user',
    'PATCH',
    path,
    patchOp({ op: 'replace', value: { active: false } }),
  );
  const deactivated = await afterPatch(io, 'deactivate the user', deactivate, path);
  ensure(record(deactivated.body)?.active === false, `active is ${show(record(deactivated.body)?.active)}`, {
    expected: '"active": false',
    answer: deactivated,
  });

  // PUT of the whole resource it read (id, groups and meta included), with a new password.
  const read = await io.send('read the user', 'GET', path);
  expectStatus(read, 200);
  const current = record(read.body) ?? {};
  const put = await io.send('replace the user with what was read', 'PUT', path, {
    ...current,
    name: { ...record(current.name), givenName: 'Okie' },
    active: true,
    password: 'Rotated-Pass-2',
    groups: [{ value: `${prefix}-not-a-group` }],
  });
  expectStatus(put, 200);
  expectMatch(
    put,
    put.body,
    { id, active: true, name: { givenName: 'Okie', familyName: 'Person' } },
    'the replaced user',
  );
  if (put.text.includes('Rotated-Pass-2'))
    fail('the password came back', { expected: 'no password in the answer', answer: put });
  if (put.text.includes(`${prefix}-not-a-group`))
    fail('the read-only groups sent in the PUT were stored', {
      expected: 'groups ignored (readOnly)',
      answer: put,
    });

  // Group push: create, rename by path-less replace with the unchanged id, members replaced,
  // added and removed by filter.
  const group = await io.send('push the group', 'POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: `${prefix} Okta Pushed`,
    members: [],
  });
  expectStatus(group, 201);
  const groupId = String(record(group.body)?.id);
  const groupPath = `/Groups/${encodeURIComponent(groupId)}`;
  const renameStep = 'rename the group (path-less replace with the unchanged id)';
  const rename = await io.send(
    renameStep,
    'PATCH',
    groupPath,
    patchOp({ op: 'replace', value: { id: groupId, displayName: `${prefix} Okta Pushed 2` } }),
  );
  const renamed = await afterPatch(io, renameStep, rename, groupPath);
  ensure(
    record(renamed.body)?.displayName === `${prefix} Okta Pushed 2`,
    `displayName is ${show(record(renamed.body)?.displayName)}`,
    {
      expected: `"displayName": "${prefix} Okta Pushed 2"`,
      answer: renamed,
    },
  );
  expectStatus(
    await io.send(
      'empty the pushed group',
      'PATCH',
      groupPath,
      patchOp({ op: 'replace', path: 'members', value: [] }),
    ),
    [200, 204],
  );
  const join = await io.send(
    'add the user',
    'PATCH',
    groupPath,
    patchOp({ op: 'add', path: 'members', value: [{ value: id, display: userName }] }),
  );
  const joined = await afterPatch(io, 'add the user', join, groupPath);
  ensure(memberValues(joined.body).join() === id, `the members are ${show(record(joined.body)?.members)}`, {
    expected: `the one member ${id}`,
    answer: joined,
  });
  const leave = await io.send(
    'remove the user by filter',
    'PATCH',
    groupPath,
    patchOp({ op: 'remove', path: `members[value eq "${id}"]` }),
  );
  const left = await afterPatch(io, 'remove the user by filter', leave, groupPath);
  ensure(memberValues(left.body).length === 0, `the members are ${show(record(left.body)?.members)}`, {
    expected: 'no members',
    answer: left,
  });
}

/** Okta's provisioning cycle. */
export const oktaSequence: IdpSequence = { idp: 'okta', name: 'Okta', run };
