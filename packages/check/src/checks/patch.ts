/**
 * PATCH: every op kind, paths with value filters, case-insensitive names, extension paths,
 * no-op adds, all-or-nothing, and group membership as IdPs change it.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
import type { User } from '@scimkit/schema';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, type CheckDefinition, defineCheck, rfc7643, rfc7644 } from '../context.js';
import {
  ensure,
  expectSchema,
  expectScimError,
  expectStatus,
  record,
  resourceOf,
  show,
  unassigned,
} from '../expect.js';
import { population } from '../fixtures.js';
import type { Answer } from '../http.js';
import { memberIds } from './groups.js';

/** A PATCH operation as sent (ops in any case, values of any shape). */
type Operation = { op: string; path?: string; value?: unknown };

/** A fresh user for one check, created through the client. */
function freshUser(context: CheckContext, extra: Record<string, unknown> = {}): Promise<User> {
  return context.viaClient('creating a user to patch', (client) =>
    client.users.create({
      schemas: [USER_SCHEMA],
      userName: context.userName('patch'),
      displayName: 'Patch Me',
      name: { givenName: 'Pat', familyName: 'Cher' },
      nickName: 'Patty',
      active: true,
      emails: [
        { value: `${context.unique('work')}@example.com`, type: 'work', primary: true },
        { value: `${context.unique('home')}@example.com`, type: 'home' },
      ],
      ...extra,
    } as never),
  );
}

/** Sends a PatchOp. */
export function sendPatch(
  context: CheckContext,
  endpoint: string,
  id: string,
  operations: Operation[],
): Promise<Answer> {
  return context.send({
    method: 'PATCH',
    path: `${endpoint}/${encodeURIComponent(id)}`,
    body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
  });
}

/** PATCHes and returns the resource afterwards (200 with it, or 204 and a GET). */
async function patched(
  context: CheckContext,
  endpoint: string,
  id: string,
  operations: Operation[],
): Promise<{ answer: Answer; resource: Record<string, unknown> }> {
  const answer = await sendPatch(context, endpoint, id, operations);
  expectStatus(answer, [200, 204], 'HTTP 200 with the resource, or 204');
  return { answer, resource: await context.afterWrite(answer, endpoint, id) };
}

function emails(resource: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(resource.emails) ? resource.emails.map((email) => record(email) ?? {}) : [];
}

/** A check that patches a fresh user and judges the result. */
function userPatch(
  id: string,
  title: string,
  options: Partial<CheckDefinition> & { why: string; rfc: string },
  operations: (user: User) => Operation[],
  judge: (resource: Record<string, unknown>, user: User, answer: Answer) => void,
): CheckDefinition {
  return defineCheck({
    ...options,
    id,
    group: 'patch',
    title,
    requires: ['patch', ...(options.requires ?? [])],
    async run(context) {
      const user = await freshUser(context);
      const { answer, resource } = await patched(context, '/Users', user.id, operations(user));
      judge(resource, user, answer);
    },
  });
}

const SECTION = rfc7644('3.5.2');

export const patchChecks = [
  userPatch(
    'patch.add',
    'add with a path sets the attribute',
    { rfc: rfc7644('3.5.2.1'), why: 'add with a path to a single-valued attribute sets it.' },
    () => [{ op: 'add', path: 'title', value: 'Added Title' }],
    (resource, _user, answer) =>
      ensure(resource.title === 'Added Title', `title is ${show(resource.title)}`, {
        expected: '"title": "Added Title"',
        answer,
      }),
  ),
  userPatch(
    'patch.add-without-path',
    'add without a path merges the attributes of its value',
    {
      rfc: rfc7644('3.5.2.1'),
      why: 'Without a path, the target is the resource itself and the value holds the attributes to add.',
    },
    () => [{ op: 'add', value: { title: 'Merged Title', profileUrl: 'https://example.com/p' } }],
    (resource, _user, answer) =>
      ensure(
        resource.title === 'Merged Title' && resource.displayName === 'Patch Me',
        'the attributes were not merged',
        {
          expected: 'title "Merged Title" added, displayName "Patch Me" kept',
          actual: `title ${show(resource.title)}, displayName ${show(resource.displayName)}`,
          answer,
        },
      ),
  ),
  userPatch(
    'patch.replace',
    'replace with a path sets the attribute',
    {
      rfc: rfc7644('3.5.2.3'),
      idps: ['entra-id', 'okta'],
      why: 'IdPs push attribute changes as replace operations.',
    },
    () => [{ op: 'replace', path: 'displayName', value: 'Replaced Name' }],
    (resource, _user, answer) =>
      ensure(resource.displayName === 'Replaced Name', `displayName is ${show(resource.displayName)}`, {
        expected: '"displayName": "Replaced Name"',
        answer,
      }),
  ),
  userPatch(
    'patch.replace-without-path',
    'replace without a path sets each attribute of its value (Okta deactivation)',
    {
      rfc: rfc7644('3.5.2.3'),
      idps: ['okta'],
      why: 'Okta deactivates with {"op":"replace","value":{"active":false}}; every attribute in the value is replaced.',
    },
    () => [{ op: 'replace', value: { active: false, displayName: 'Deactivated' } }],
    (resource, _user, answer) =>
      ensure(
        resource.active === false && resource.displayName === 'Deactivated',
        'the values were not replaced',
        {
          expected: 'active false and displayName "Deactivated"',
          actual: `active ${show(resource.active)}, displayName ${show(resource.displayName)}`,
          answer,
        },
      ),
  ),
  userPatch(
    'patch.replace-complex',
    'replace of a complex attribute keeps the sub-attributes it does not name',
    {
      rfc: rfc7644('3.5.2.3'),
      why: 'For a complex target, the sub-attributes in the value replace the existing ones; sub-attributes not specified are left unchanged.',
    },
    () => [{ op: 'replace', path: 'name', value: { givenName: 'Patricia' } }],
    (resource, _user, answer) => {
      const name = record(resource.name);
      ensure(name?.givenName === 'Patricia' && name.familyName === 'Cher', `name is ${show(resource.name)}`, {
        expected: '"name": { "givenName": "Patricia", "familyName": "Cher" }',
        answer,
      });
    },
  ),
  userPatch(
    'patch.remove',
    'remove with a path clears the attribute',
    { rfc: rfc7644('3.5.2.2'), why: 'remove takes the attribute away.' },
    () => [{ op: 'remove', path: 'nickName' }],
    (resource, _user, answer) =>
      ensure(unassigned(resource.nickName), `nickName is still ${show(resource.nickName)}`, {
        expected: 'no nickName',
        answer,
      }),
  ),
  userPatch(
    'patch.add-multi-valued',
    'add to a multi-valued attribute appends the value',
    {
      rfc: rfc7644('3.5.2.1'),
      why: 'If the target is multi-valued, a new value is added; existing values stay.',
    },
    () => [{ op: 'add', path: 'emails', value: [{ value: 'added@example.com', type: 'other' }] }],
    (resource, user, answer) => {
      const values = emails(resource).map((email) => email.value);
      const before = (user.emails ?? []).map((email) => email.value);
      ensure(
        values.includes('added@example.com') && before.every((value) => values.includes(value)),
        `emails are ${show(values)}`,
        {
          expected: `${show([...before, 'added@example.com'])}`,
          answer,
        },
      );
    },
  ),
  userPatch(
    'patch.replace-value-filter',
    'replace at emails[type eq "work"].value changes only the work email',
    {
      rfc: rfc7644('3.5.2.3'),
      idps: ['entra-id'],
      why: 'A value filter selects the values to change; Entra ID updates emails this way.',
    },
    () => [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'changed.work@example.com' }],
    (resource, user, answer) => {
      const work = emails(resource).filter((email) => email.type === 'work');
      const home = emails(resource).filter((email) => email.type === 'home');
      const homeBefore = user.emails?.find((email) => email.type === 'home')?.value;
      ensure(
        work.length === 1 && work[0]?.value === 'changed.work@example.com' && home[0]?.value === homeBefore,
        `emails are ${show(resource.emails)}`,
        {
          expected: `the work email changed to changed.work@example.com, the home email (${homeBefore}) kept`,
          answer,
        },
      );
    },
  ),
  userPatch(
    'patch.remove-value-filter',
    'remove at emails[type eq "home"] removes only the home email',
    { rfc: rfc7644('3.5.2.2'), why: 'With a value filter, only the matching values are removed.' },
    () => [{ op: 'remove', path: 'emails[type eq "home"]' }],
    (resource, _user, answer) => {
      const types = emails(resource).map((email) => email.type);
      ensure(types.length === 1 && types[0] === 'work', `emails are ${show(resource.emails)}`, {
        expected: 'only the work email left',
        answer,
      });
    },
  ),
  userPatch(
    'patch.attribute-names-case-insensitive',
    'attribute names in paths and values match in any case',
    {
      rfc: rfc7643('2.1'),
      idps: ['entra-id'],
      why: 'Attribute names are case-insensitive: "DisplayName" is displayName.',
    },
    () => [
      { op: 'replace', path: 'DISPLAYNAME', value: 'Upper Path' },
      { op: 'replace', value: { NickName: 'Mixed Key' } },
    ],
    (resource, _user, answer) =>
      ensure(
        resource.displayName === 'Upper Path' && resource.nickName === 'Mixed Key',
        'the values were not set',
        {
          expected: 'displayName "Upper Path" and nickName "Mixed Key"',
          actual: `displayName ${show(resource.displayName)}, nickName ${show(resource.nickName)}`,
          answer,
        },
      ),
  ),
  userPatch(
    'patch.op-names-case-insensitive',
    'ops "Add", "Replace" and "Remove" (capitalised, as Entra ID sends them) work',
    {
      rfc: SECTION,
      idps: ['entra-id'],
      why: 'Entra ID sends capitalised op names; a server that only knows "add", "replace" and "remove" fails every Entra update.',
    },
    () => [
      { op: 'Replace', path: 'displayName', value: 'Capital Ops' },
      { op: 'Add', path: 'title', value: 'Capital Title' },
      { op: 'Remove', path: 'nickName' },
    ],
    (resource, _user, answer) =>
      ensure(
        resource.displayName === 'Capital Ops' &&
          resource.title === 'Capital Title' &&
          unassigned(resource.nickName),
        'the operations were not applied',
        {
          expected: 'displayName "Capital Ops", title "Capital Title", no nickName',
          actual: `displayName ${show(resource.displayName)}, title ${show(resource.title)}, nickName ${show(resource.nickName)}`,
          answer,
        },
      ),
  ),
  userPatch(
    'patch.string-booleans',
    'a boolean sent as "False" (as Entra ID does) sets false',
    {
      rfc: rfc7643('2.3.2'),
      idps: ['entra-id'],
      level: 'required',
      why: 'Entra ID sends booleans as the strings "True" and "False" ({"op":"replace","path":"active","value":"False"}); refusing them stops deactivation.',
    },
    () => [{ op: 'replace', path: 'active', value: 'False' }],
    (resource, _user, answer) =>
      ensure(resource.active === false, `active is ${show(resource.active)}`, {
        expected: '"active": false',
        answer,
      }),
  ),
  userPatch(
    'patch.extension-path',
    'a URN-qualified path sets an enterprise extension attribute',
    {
      rfc: rfc7644('3.5.2'),
      idps: ['entra-id'],
      requires: ['enterpriseUser'],
      why: 'Paths may be qualified with the extension URN (urn:…:enterprise:2.0:User:department); the URN is then listed in schemas. Entra ID maps department and manager this way.',
    },
    () => [{ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Finance' }],
    (resource, _user, answer) => {
      const extension = record(resource[ENTERPRISE_USER_SCHEMA]);
      ensure(
        extension?.department === 'Finance',
        `the extension is ${show(resource[ENTERPRISE_USER_SCHEMA])}`,
        {
          expected: `"${ENTERPRISE_USER_SCHEMA}": { "department": "Finance" }`,
          answer,
        },
      );
      expectSchema(answer, resource, ENTERPRISE_USER_SCHEMA);
    },
  ),
  defineCheck({
    id: 'patch.no-op-add',
    group: 'patch',
    title: 'adding a value that is already there changes nothing',
    rfc: rfc7644('3.5.2.1'),
    requires: ['patch'],
    why: 'If the target already contains the value, no change is made and the modify timestamp SHALL NOT change; IdPs resend values they are unsure of.',
    async run(context) {
      const user = await freshUser(context);
      const read = await context.read('/Users', user.id);
      expectStatus(read, 200);
      const before = resourceOf(read);
      const work = user.emails?.find((email) => email.type === 'work');
      const { answer, resource } = await patched(context, '/Users', user.id, [
        { op: 'add', path: 'emails', value: [{ value: work?.value, type: 'work', primary: true }] },
      ]);
      const lastModified = record(resource.meta)?.lastModified;
      ensure(
        lastModified === record(before.meta)?.lastModified,
        `meta.lastModified changed to ${show(lastModified)}`,
        {
          expected: `meta.lastModified unchanged (${show(record(before.meta)?.lastModified)}): the operation SHALL NOT change the modify timestamp`,
          answer,
        },
      );
      const values = emails(resource).map((email) => email.value);
      const primaries = emails(resource).filter((email) => email.primary === true).length;
      ensure(
        values.filter((value) => value === work?.value).length === 1 && primaries <= 1,
        `emails are ${show(resource.emails)}`,
        {
          expected: `${work?.value} once, and "primary": true at most once (RFC 7643 section 2.4)`,
          answer,
        },
      );
    },
  }),
  defineCheck({
    id: 'patch.all-or-nothing',
    group: 'patch',
    title: 'a PATCH with one invalid operation changes nothing',
    rfc: SECTION,
    requires: ['patch'],
    why: 'PATCH is atomic: if one operation fails, the original resource MUST be restored and an error returned.',
    async run(context) {
      const user = await freshUser(context);
      const answer = await sendPatch(context, '/Users', user.id, [
        { op: 'replace', path: 'displayName', value: 'Should Not Stick' },
        { op: 'replace', path: 'emails[type eq "work"', value: 'unclosed bracket' },
      ]);
      ensure(answer.status >= 400 && answer.status < 500, `${answer.status} for an unparseable path`, {
        expected: 'HTTP 400 (invalidPath) for the second operation',
        answer,
      });
      const read = await context.read('/Users', user.id);
      expectStatus(read, 200);
      const displayName = resourceOf(read).displayName;
      ensure(displayName === 'Patch Me', `displayName is now ${show(displayName)}`, {
        expected: 'displayName "Patch Me": the first operation undone',
        answer: read,
      });
    },
  }),
  defineCheck({
    id: 'patch.remove-without-path',
    group: 'patch',
    title: 'remove without a path answers 400 noTarget',
    rfc: rfc7644('3.5.2.2'),
    requires: ['patch'],
    why: 'If "path" is unspecified, remove fails with 400 and scimType "noTarget".',
    async run(context) {
      const user = await freshUser(context);
      expectScimError(await sendPatch(context, '/Users', user.id, [{ op: 'remove' }]), 400, 'noTarget');
    },
  }),
  defineCheck({
    id: 'patch.replace-filter-no-match',
    group: 'patch',
    title: 'replace through a value filter that matches nothing answers 400 noTarget',
    rfc: rfc7644('3.5.2.3'),
    requires: ['patch'],
    why: 'When a valuePath filter matches no value of a multi-valued attribute, replace SHALL fail with 400 and scimType "noTarget".',
    async run(context) {
      const user = await freshUser(context);
      const answer = await sendPatch(context, '/Users', user.id, [
        { op: 'replace', path: 'emails[type eq "no-such-type"].display', value: 'x' },
      ]);
      expectScimError(answer, 400, 'noTarget');
    },
  }),
  defineCheck({
    id: 'patch.read-only',
    group: 'patch',
    title: 'replacing id answers 400 mutability',
    rfc: SECTION,
    requires: ['patch'],
    why: 'Each operation MUST be compatible with the attribute\'s mutability: id is readOnly, and a change is refused with 400 scimType "mutability".',
    async run(context) {
      const user = await freshUser(context);
      const answer = await sendPatch(context, '/Users', user.id, [
        { op: 'replace', path: 'id', value: `${context.prefix}-new-id` },
      ]);
      expectScimError(answer, 400, 'mutability');
    },
  }),
  ...membershipChecks(),
];

/** Membership changes on a fresh group of Alice and Bob. */
function membershipChecks(): CheckDefinition[] {
  const groupPatch = (
    id: string,
    title: string,
    options: { why: string; rfc: string; idps: CheckDefinition['idps'] },
    operations: (ids: { alice: string; bob: string; carol: string }) => Operation[],
    expected: (ids: { alice: string; bob: string; carol: string }) => string[],
  ) =>
    defineCheck({
      ...options,
      id,
      group: 'patch',
      title,
      requires: ['patch', 'groups'],
      async run(context) {
        const { alice, bob, carol } = await context.fixture(population);
        const ids = { alice: alice.id, bob: bob.id, carol: carol.id };
        const group = await context.viaClient('creating a group to patch', (client) =>
          client.groups.create({
            schemas: [GROUP_SCHEMA],
            displayName: context.unique('patch-group'),
            members: [{ value: alice.id }, { value: bob.id }],
          }),
        );
        const { answer, resource } = await patched(context, '/Groups', group.id, operations(ids));
        const found = memberIds(resource).sort();
        const wanted = expected(ids).sort();
        ensure(found.join() === wanted.join(), `members are ${show(resource.members)}`, {
          expected: `members ${show(wanted)}`,
          answer,
        });
      },
    });
  return [
    groupPatch(
      'patch.add-members',
      'add members appends to the member list',
      {
        rfc: rfc7644('3.5.2.1'),
        idps: ['entra-id', 'okta'],
        why: 'IdPs add members with {"op":"add","path":"members","value":[{"value":"<id>"}]}.',
      },
      ({ carol }) => [{ op: 'add', path: 'members', value: [{ value: carol }] }],
      ({ alice, bob, carol }) => [alice, bob, carol],
    ),
    groupPatch(
      'patch.remove-member-by-filter',
      'remove at members[value eq "<id>"] removes only that member',
      {
        rfc: rfc7644('3.5.2.2'),
        idps: ['okta'],
        why: 'Okta removes one member with a value filter; the others stay.',
      },
      ({ alice }) => [{ op: 'remove', path: `members[value eq "${alice}"]` }],
      ({ bob }) => [bob],
    ),
    groupPatch(
      'patch.replace-members',
      'replace members sets the whole member list',
      {
        rfc: rfc7644('3.5.2.3'),
        idps: ['okta'],
        why: 'Without a filter, replace of a multi-valued attribute replaces all its values.',
      },
      ({ carol }) => [{ op: 'replace', path: 'members', value: [{ value: carol }] }],
      ({ carol }) => [carol],
    ),
  ];
}
