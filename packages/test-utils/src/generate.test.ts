import { describe, expect, it } from 'vitest';
import { generateGroup, generateUser } from './generate.js';

describe('generateUser', () => {
  it('is deterministic and gives distinct userNames', () => {
    expect(generateUser(5)).toEqual(generateUser(5));
    const names = new Set(Array.from({ length: 500 }, (_, i) => generateUser(i).userName));
    expect(names.size).toBe(500);
  });

  it('adds the enterprise extension to every third user, listed in schemas', () => {
    const user = generateUser(3);
    expect(user.schemas).toContain('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    expect(user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.department).toBeTypeOf(
      'string',
    );
    expect(generateUser(4).schemas).toHaveLength(1);
  });

  it('gives ASCII userNames with exactly one primary email', () => {
    const user = generateUser(17);
    expect(user.userName).toMatch(/^[a-z.]+\d+@example\.com$/);
    expect(user.emails.filter((email) => email.primary)).toHaveLength(1);
  });
});

describe('generateGroup', () => {
  it('lists the given members', () => {
    expect(generateGroup(2, ['a', 'b']).members).toEqual([{ value: 'a' }, { value: 'b' }]);
  });
});
