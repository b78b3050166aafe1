import { describe, expect, it } from 'vitest';
import { flagValue, patchOperations, splitAssignment } from './assignments.js';

describe('splitAssignment', () => {
  it('splits at the first = outside brackets and quotes', () => {
    expect(splitAssignment('emails[type eq "a=b"].value=x=y')).toEqual({
      path: 'emails[type eq "a=b"].value',
      value: 'x=y',
    });
    expect(() => splitAssignment('=x')).toThrow('expected path=value, got "=x"');
    expect(() => splitAssignment('noequals')).toThrow('expected path=value');
  });
});

describe('flagValue', () => {
  it('parses unambiguous JSON only', () => {
    expect(flagValue('false')).toBe(false);
    expect(flagValue('{"value":"m1"}')).toEqual({ value: 'm1' });
    expect(flagValue('00123')).toBe('00123');
    expect(flagValue('Finance')).toBe('Finance');
    expect(() => flagValue('{oops')).toThrow('looks like JSON but does not parse');
  });
});

describe('patchOperations', () => {
  it('orders add, replace, then remove', () => {
    expect(patchOperations({ remove: ['nickName'], replace: ['active=false'], add: ['title=Boss'] })).toEqual(
      [
        { op: 'add', path: 'title', value: 'Boss' },
        { op: 'replace', path: 'active', value: false },
        { op: 'remove', path: 'nickName' },
      ],
    );
  });
});
