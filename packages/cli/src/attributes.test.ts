import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { cellText, getPath, parseColumnPath, setPath } from './attributes.js';

const user = {
  id: '1',
  userName: 'bjensen',
  name: { givenName: 'Barbara' },
  emails: [
    { value: 'home@example.com', type: 'home' },
    { value: 'work@example.com', type: 'work', primary: true },
  ],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1' } },
};

describe('parseColumnPath', () => {
  it('splits extension URNs at the last colon and drops core URNs', () => {
    expect(parseColumnPath(`${ENTERPRISE_USER_SCHEMA}:manager.value`)).toEqual({
      text: `${ENTERPRISE_USER_SCHEMA}:manager.value`,
      schema: ENTERPRISE_USER_SCHEMA,
      names: ['manager', 'value'],
    });
    expect(parseColumnPath(`${USER_SCHEMA}:userName`)).toEqual({
      text: `${USER_SCHEMA}:userName`,
      names: ['userName'],
    });
  });

  it('rejects prototype names and malformed paths', () => {
    expect(() => parseColumnPath('__proto__')).toThrow('invalid attribute path "__proto__"');
    expect(() => parseColumnPath('name.constructor')).toThrow('invalid attribute path');
    expect(() => parseColumnPath('a.b.c')).toThrow('invalid attribute path');
    expect(() => parseColumnPath('emails[type eq "work"]')).toThrow('invalid attribute path');
  });
});

describe('getPath', () => {
  it('reads nested, extension and multi-valued attributes case-insensitively', () => {
    expect(getPath(user, parseColumnPath('USERNAME'))).toBe('bjensen');
    expect(getPath(user, parseColumnPath('name.givenname'))).toBe('Barbara');
    expect(getPath(user, parseColumnPath(`${ENTERPRISE_USER_SCHEMA}:department`))).toBe('Sales');
    expect(getPath(user, parseColumnPath(`${ENTERPRISE_USER_SCHEMA}:manager.value`))).toBe('m1');
    expect(cellText(getPath(user, parseColumnPath('emails')))).toBe('work@example.com;home@example.com');
    expect(getPath(user, parseColumnPath('toString'))).toBeUndefined();
  });
});

describe('setPath', () => {
  it('builds resources from cell text: nested, extension, booleans and multi-valued lists', () => {
    const resource: Record<string, unknown> = {};
    setPath(resource, parseColumnPath('userName'), 'bjensen');
    setPath(resource, parseColumnPath('name.givenName'), 'Barbara');
    setPath(resource, parseColumnPath('active'), 'FALSE');
    setPath(resource, parseColumnPath('emails'), 'a@example.com; b@example.com');
    setPath(resource, parseColumnPath(`${ENTERPRISE_USER_SCHEMA}:department`), 'Sales');
    expect(resource).toEqual({
      userName: 'bjensen',
      name: { givenName: 'Barbara' },
      active: false,
      emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com' }],
      schemas: [ENTERPRISE_USER_SCHEMA],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Sales' },
    });
  });
});
