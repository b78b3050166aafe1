import { ENTERPRISE_SCHEMA, generateGroup, generateUser, type Json, memberIdOf, userId } from './users.js';

/** One PATCH operation as sent on the wire. */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

/** A named list of operations applied to a generated user or group. */
export interface PatchCase {
  name: string;
  /** Short name of the case for `pnpm --filter @scimkit/bench run callgrind patch:<id>`. */
  id: string;
  /** `User` or `Group`. */
  resourceType: 'User' | 'Group';
  /** RFC-conformant (every peer is expected to support it) or IdP dialect (peers may reject it). */
  dialect: 'rfc' | 'entra' | 'okta';
  operations: PatchOperation[];
  /** Top-level attributes deleted from the generated user first (to add an absent attribute). */
  absent?: readonly string[];
}

/** PATCH operation sets modelled on what Entra ID and Okta send (docs/idp-compatibility.md). */
export const PATCH_CASES: readonly PatchCase[] = [
  {
    name: 'Okta deactivate (path-less replace)',
    id: 'okta-deactivate',
    resourceType: 'User',
    dialect: 'okta',
    operations: [{ op: 'replace', value: { active: false } }],
  },
  {
    name: 'Okta profile update',
    id: 'okta-profile',
    resourceType: 'User',
    dialect: 'okta',
    operations: [
      {
        op: 'replace',
        value: {
          name: { givenName: 'Babs', familyName: 'Jensen-Smith' },
          displayName: 'Babs Jensen-Smith',
          title: 'Director',
          emails: [{ value: 'babs@example.com', type: 'work', primary: true }],
        },
      },
    ],
  },
  {
    name: 'Entra attribute sync (6 ops)',
    id: 'entra-sync',
    resourceType: 'User',
    dialect: 'rfc',
    operations: [
      { op: 'replace', path: 'displayName', value: 'Barbara J. Jensen' },
      { op: 'replace', path: 'name.givenName', value: 'Barbara' },
      { op: 'replace', path: 'name.familyName', value: 'Jensen' },
      { op: 'replace', path: 'title', value: 'Senior Tour Guide' },
      { op: 'replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Tour Operations' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'barbara.jensen@example.com' },
    ],
  },
  {
    name: 'Entra dialect (capitalised ops, "False", bare manager id)',
    id: 'entra-dialect',
    resourceType: 'User',
    dialect: 'entra',
    operations: [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Add', path: `${ENTERPRISE_SCHEMA}:manager`, value: userId(42) },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bj@contoso.com' },
      { op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '+1-555-0100' },
    ],
  },
  {
    name: 'Add and remove a value',
    id: 'add-remove',
    resourceType: 'User',
    dialect: 'rfc',
    operations: [
      { op: 'add', path: 'emails', value: [{ value: 'alias@example.com', type: 'other' }] },
      { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
      { op: 'replace', path: 'active', value: true },
    ],
  },
  {
    name: 'Mixed request (title, work email, absent nickName, active)',
    id: 'mixed',
    resourceType: 'User',
    dialect: 'rfc',
    absent: ['nickName'],
    operations: [
      { op: 'replace', path: 'title', value: 'Principal Tour Guide' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'babs.jensen@example.com' },
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'replace', path: 'active', value: false },
    ],
  },
  {
    name: 'Replace through a value filter (emails[type eq "work"].value)',
    id: 'value-filter',
    resourceType: 'User',
    dialect: 'rfc',
    operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'babs.jensen@example.com' }],
  },
  {
    name: 'Add an absent attribute (nickName)',
    id: 'add-absent',
    resourceType: 'User',
    dialect: 'rfc',
    absent: ['nickName'],
    operations: [{ op: 'add', path: 'nickName', value: 'Babs' }],
  },
  {
    name: 'Entra single replace (URN-qualified department)',
    id: 'entra-urn',
    resourceType: 'User',
    dialect: 'entra',
    operations: [{ op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Tour Operations' }],
  },
  {
    name: 'Entra single replace (URN-qualified manager.value)',
    id: 'entra-urn-manager',
    resourceType: 'User',
    dialect: 'entra',
    operations: [{ op: 'Replace', path: `${ENTERPRISE_SCHEMA}:manager.value`, value: userId(43) }],
  },
  {
    name: 'Okta group push: add a member (group of 100)',
    id: 'okta-member-add',
    resourceType: 'Group',
    dialect: 'okta',
    operations: [
      { op: 'add', path: 'members', value: [{ value: memberIdOf(9_999_998), display: 'New Member' }] },
    ],
  },
  {
    name: 'Okta group push: remove a member (group of 100)',
    id: 'okta-member-remove',
    resourceType: 'Group',
    dialect: 'okta',
    operations: [{ op: 'remove', path: `members[value eq "${memberIdOf(57)}"]` }],
  },
];

/** Members of the group that the group cases of {@link PATCH_CASES} patch. */
export const CASE_GROUP_SIZE = 100;

/** The resource a case of {@link PATCH_CASES} patches: generated user 7 or a group of 100 members. */
export function patchInput(c: PatchCase): Json {
  if (c.resourceType === 'Group') return generateGroup(3, CASE_GROUP_SIZE);
  const user = generateUser(7);
  const absent = c.absent ?? [];
  // Rebuilt rather than `delete`d: a deletion turns the object into a slow dictionary, which a
  // resource read from a store (parsed JSON) never is.
  return absent.length === 0
    ? user
    : Object.fromEntries(Object.entries(user).filter(([key]) => !absent.includes(key)));
}

/** A user id that is NOT yet a member of the big groups (member ids come from {@link memberIdOf}). */
export const NEW_MEMBER_ID = memberIdOf(9_999_999);
/** A member that IS in the big groups (near the end, so scans pay the full price). */
export const EXISTING_MEMBER_ID = (memberCount: number): string => memberIdOf(memberCount - 2);

/** Entra/Okta membership changes on a big group. */
export function memberOperations(memberCount: number): {
  add: PatchOperation[];
  remove: PatchOperation[];
  removeByValue: PatchOperation[];
} {
  return {
    add: [{ op: 'add', path: 'members', value: [{ value: NEW_MEMBER_ID }] }],
    remove: [{ op: 'remove', path: `members[value eq "${EXISTING_MEMBER_ID(memberCount)}"]` }],
    removeByValue: [{ op: 'Remove', path: 'members', value: [{ value: EXISTING_MEMBER_ID(memberCount) }] }],
  };
}
