import { ENTERPRISE_SCHEMA, memberIdOf, userId } from './users.js';

/** One PATCH operation as sent on the wire. */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

/** A named list of operations applied to a generated user or group. */
export interface PatchCase {
  name: string;
  /** `User` or `Group`. */
  resourceType: 'User' | 'Group';
  /** RFC-conformant (every peer is expected to support it) or IdP dialect (peers may reject it). */
  dialect: 'rfc' | 'entra' | 'okta';
  operations: PatchOperation[];
}

/** PATCH operation sets modelled on what Entra ID and Okta send (SCIM-NOTES.md). */
export const PATCH_CASES: readonly PatchCase[] = [
  {
    name: 'Okta deactivate (path-less replace)',
    resourceType: 'User',
    dialect: 'okta',
    operations: [{ op: 'replace', value: { active: false } }],
  },
  {
    name: 'Okta profile update',
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
    resourceType: 'User',
    dialect: 'rfc',
    operations: [
      { op: 'add', path: 'emails', value: [{ value: 'alias@example.com', type: 'other' }] },
      { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
      { op: 'replace', path: 'active', value: true },
    ],
  },
];

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
