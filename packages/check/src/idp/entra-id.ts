/**
 * Microsoft Entra ID's provisioning cycle as it sends it: test connection, lookups by
 * userName and externalId, create with the enterprise extension and null-valued attributes,
 * its PATCH shapes (capitalised ops, string booleans, path keys in a path-less replace,
 * manager as a bare id, filtered adds that create one value), group creation and membership
 * (removal by value list), deactivation and deletion. The expectations are what Entra reads.
 */
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import {
  ensure,
  expectMatch,
  expectScimError,
  expectStatus,
  idsOf,
  readList,
  record,
  show,
  unassigned,
} from '../expect.js';
import type { Answer } from '../http.js';
import { afterPatch, type IdpSequence, patchOp, filterQuery as q, type SequenceIo } from './sequence.js';

/** Fails unless the list answer holds exactly `ids`. */
function expectFound(answer: Answer, ids: readonly string[], what: string): void {
  expectStatus(answer, 200);
  const found = idsOf(readList(answer).resources);
  ensure(
    found.length === ids.length && ids.every((id) => found.includes(id)),
    `${what} found ${show(found)}`,
    {
      expected: ids.length === 0 ? 'no resources' : `exactly ${show(ids)}`,
      answer,
    },
  );
}

/** Fails unless the list answer says nothing matched (Entra reads totalResults). */
function expectNone(answer: Answer, what: string): void {
  expectStatus(answer, 200);
  const list = readList(answer);
  ensure(
    list.totalResults === 0 && list.resources.length === 0,
    `${what}: totalResults ${show(list.totalResults)}, ${list.resources.length} resources`,
    {
      expected: 'a ListResponse with "totalResults": 0 and no resources',
      answer,
    },
  );
}

async function run(io: SequenceIo): Promise<void> {
  const { prefix } = io;
  const userName = `${prefix}-Test_User_1@contoso.example`;
  const externalId = `${prefix}-e-0001`;

  // Test connection: a random userName that does not exist, then the reconciliation lookup.
  expectNone(
    await io.send('test connection', 'GET', `/Users?filter=${q(`userName eq "${crypto.randomUUID()}"`)}`),
    'test connection',
  );
  expectNone(
    await io.send('lookup by externalId', 'GET', `/Users?filter=${q(`externalId eq "${externalId}"`)}`),
    'lookup by externalId',
  );

  // The manager, then the user with the enterprise extension and null-valued attributes.
  const manager = await io.send('create the manager', 'POST', '/Users', {
    schemas: [USER_SCHEMA],
    externalId: `${prefix}-e-0000`,
    userName: `${prefix}-boss@contoso.example`,
    active: true,
  });
  expectStatus(manager, 201);
  const managerId = String(record(manager.body)?.id);
  const created = await io.send('create the user', 'POST', '/Users', {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    externalId,
    userName,
    active: true,
    displayName: 'Test User',
    emails: [{ primary: true, type: 'work', value: `${prefix}-test.user@contoso.example` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
    roles: [],
    title: null,
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '1001', department: 'Sales', manager: null },
  });
  expectStatus(created, 201);
  const user = record(created.body) ?? {};
  const id = String(user.id);
  expectMatch(
    created,
    user,
    { userName, [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '1001', department: 'Sales' } },
    'the created user',
  );
  ensure(
    unassigned(user.title) && unassigned(record(user[ENTERPRISE_USER_SCHEMA])?.manager),
    'null-valued attributes were stored',
    {
      expected: 'title and manager unassigned (null means "no value", RFC 7643 section 2.5)',
      actual: `title ${show(user.title)}, manager ${show(record(user[ENTERPRISE_USER_SCHEMA])?.manager)}`,
      answer: created,
    },
  );
  expectFound(
    await io.send(
      'find the user by externalId',
      'GET',
      `/Users?filter=${q(`externalId eq "${externalId}"`)}`,
    ),
    [id],
    'the lookup',
  );

  // Entra's PATCH: capitalised ops, string booleans, path keys in a path-less replace,
  // manager as a bare id, filtered adds that create one value.
  const updatePath = `/Users/${encodeURIComponent(id)}`;
  const update = await io.send(
    'update the user',
    'PATCH',
    updatePath,
    patchOp(
      { op: 'Replace', path: 'active', value: 'True' },
      {
        op: 'Replace',
        value: {
          'name.givenName': 'Tess',
          [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Marketing',
          displayName: 'Tess User',
        },
      },
      { op: 'Add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: managerId },
      { op: 'Add', path: 'emails[type eq "work"].value', value: `${prefix}-tess.user@contoso.example` },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Add', path: 'addresses[type eq "work"].country', value: 'US' },
      { op: 'Add', path: 'roles', value: [{ primary: 'False', type: 'AppRole', value: 'Reader' }] },
    ),
  );
  const updated = await afterPatch(io, 'update the user', update, updatePath);
  expectMatch(
    updated,
    updated.body,
    {
      active: true,
      displayName: 'Tess User',
      name: { givenName: 'Tess', familyName: 'User' },
      emails: [{ type: 'work', value: `${prefix}-tess.user@contoso.example`, primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
      addresses: [{ type: 'work', locality: 'Redmond', country: 'US' }],
      roles: [{ value: 'Reader', type: 'AppRole', primary: false }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Marketing', manager: { value: managerId } },
    },
    'the user after the update',
  );

  // The lookup by an attribute after a value path (outside the ABNF).
  expectFound(
    await io.send(
      'find the user by work email',
      'GET',
      `/Users?filter=${q(`emails[type eq "work"].value eq "${prefix}-tess.user@contoso.example"`)}`,
    ),
    [id],
    'the lookup',
  );

  // Group: lookup, create, members added, excludedAttributes=members, removal by value list.
  const groupName = `${prefix} Sales Team`;
  const groupLookup = `/Groups?filter=${q(`displayName eq "${groupName}"`)}&excludedAttributes=members`;
  expectNone(await io.send('look the group up', 'GET', groupLookup), 'the group lookup');
  const group = await io.send('create the group', 'POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    externalId: `${prefix}-g-0001`,
    displayName: groupName,
    members: [],
  });
  expectStatus(group, 201);
  const groupId = String(record(group.body)?.id);
  const groupPath = `/Groups/${encodeURIComponent(groupId)}`;
  const added = await io.send(
    'add members',
    'PATCH',
    groupPath,
    patchOp({ op: 'Add', path: 'members', value: [{ value: id }, { value: managerId }] }),
  );
  expectStatus(added, [200, 204]);
  const listed = await io.send('list the group without members', 'GET', groupLookup);
  expectFound(listed, [groupId], 'the group lookup');
  const listedGroup = readList(listed).resources[0];
  ensure(
    listedGroup?.members === undefined && listedGroup?.displayName === groupName,
    `the group came back as ${show(listedGroup)}`,
    {
      expected: `displayName "${groupName}" and no members (excludedAttributes=members)`,
      answer: listed,
    },
  );
  const removed = await io.send(
    'remove a member by value list',
    'PATCH',
    groupPath,
    patchOp({ op: 'Remove', path: 'members', value: [{ value: managerId }] }),
  );
  expectStatus(removed, [200, 204]);
  const afterRemoval = await io.send('read the group', 'GET', groupPath);
  expectStatus(afterRemoval, 200);
  const members = record(afterRemoval.body)?.members;
  const memberValues = Array.isArray(members) ? members.map((member) => record(member)?.value) : [];
  ensure(memberValues.length === 1 && memberValues[0] === id, `the members are ${show(members)}`, {
    expected: `only the user ${id}: the value list removes only the members it names`,
    answer: afterRemoval,
  });

  // Deactivation with a string boolean, twice (Entra repeats what it is unsure of).
  for (const step of ['deactivate the user', 'deactivate the user again']) {
    const disable = await io.send(
      step,
      'PATCH',
      updatePath,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    const disabled = await afterPatch(io, step, disable, updatePath);
    ensure(record(disabled.body)?.active === false, `active is ${show(record(disabled.body)?.active)}`, {
      expected: '"active": false',
      answer: disabled,
    });
  }

  // Deletion: the user is gone.
  expectStatus(await io.send('delete the user', 'DELETE', updatePath), 204);
  expectScimError(await io.send('read the deleted user', 'GET', updatePath), 404);
}

/** Microsoft Entra ID's provisioning cycle. */
export const entraIdSequence: IdpSequence = { idp: 'entra-id', name: 'Microsoft Entra ID', run };
