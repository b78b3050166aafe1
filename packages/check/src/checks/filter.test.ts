import type { User } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { populationInput, populationOf } from '../fixtures.js';
import { filterSchemas, type ServerInfo } from '../server-info.js';
import { FEATURES } from '../types.js';
import { atOffset, FILTER_CASES, filterExpectations } from './filter.js';

/** The population as a server would return it: ids and creation times one second apart. */
function population() {
  const { scope, users } = populationInput('scimkit-check-test');
  const created = users.map(
    (user, index) =>
      ({
        ...user,
        id: `id-${index}`,
        meta: { resourceType: 'User', created: new Date(Date.UTC(2026, 0, 1, 10, 0, index)).toISOString() },
      }) as unknown as User,
  );
  return populationOf(scope, created as [User, User, User]);
}

function server(schemas: Record<string, unknown>[] = []): ServerInfo {
  return {
    serviceProviderConfig: undefined,
    resourceTypes: [],
    schemas,
    features: Object.fromEntries(FEATURES.map((feature) => [feature, true])) as ServerInfo['features'],
    bulkLimits: { maxOperations: undefined, maxPayloadSize: undefined },
  };
}

/** Who each filter of each case should find, by first name: none is vacuous. */
const EXPECTED: Record<string, string[][]> = {
  'filter.eq': [['alice']],
  'filter.username-case-insensitive': [['bob'], ['bob']],
  'filter.case-exact-as-declared': [[]],
  'filter.external-id': [['bob']],
  'filter.names-case-insensitive': [['alice']],
  'filter.co': [['carol']],
  'filter.sw': [['alice', 'bob', 'carol']],
  'filter.ew': [['alice', 'carol']],
  'filter.ne': [['alice', 'carol']],
  'filter.pr': [['alice', 'carol']],
  'filter.string-ordering': [['carol'], ['bob', 'carol'], ['alice']],
  'filter.boolean': [['bob']],
  'filter.date-time': [['alice', 'bob', 'carol'], [], ['alice', 'bob', 'carol']],
  'filter.date-time-chronological': [
    ['alice', 'bob', 'carol'],
    ['alice', 'bob', 'carol'],
  ],
  'filter.and-or': [['alice', 'bob']],
  'filter.precedence': [['carol']],
  'filter.not': [['bob']],
  'filter.value-path': [['bob']],
  'filter.sub-attribute': [['carol']],
  'filter.multi-valued': [['alice']],
  'filter.value-path-attribute': [['bob']],
};

describe('filter checks', () => {
  const people = population();
  const names = (users: User[]) => users.map((user) => people.names.get(user.id)).sort();

  it.each(FILTER_CASES.map((item) => [item.id, item] as const))(
    '%s expects what the RFC says',
    (id, item) => {
      const expectations = filterExpectations(item, people, filterSchemas(server(), 'User'));
      expect(expectations.map(({ expected }) => names(expected))).toEqual(EXPECTED[id]);
    },
  );

  it('has an expectation for every case', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(FILTER_CASES.map((item) => item.id).sort());
  });

  it('follows caseExact as the server declares it', () => {
    const item = FILTER_CASES.find((candidate) => candidate.id === 'filter.case-exact-as-declared');
    const declared = server([
      {
        id: 'urn:ietf:params:scim:schemas:core:2.0:User',
        attributes: [{ name: 'externalId', type: 'string', multiValued: false, caseExact: false }],
      },
    ]);
    const [first] = filterExpectations(item!, people, filterSchemas(declared, 'User'));
    expect(names(first!.expected)).toEqual(['alice']);
  });

  it('keeps the userName rule of RFC 7643 whatever the server declares', () => {
    const item = FILTER_CASES.find((candidate) => candidate.id === 'filter.username-case-insensitive');
    const declared = server([
      {
        id: 'urn:ietf:params:scim:schemas:core:2.0:User',
        attributes: [{ name: 'userName', type: 'string', multiValued: false, caseExact: true }],
      },
    ]);
    expect(
      filterExpectations(item!, people, filterSchemas(declared, 'User')).map(({ expected }) =>
        names(expected),
      ),
    ).toEqual([['bob'], ['bob']]);
  });

  it('writes instants with any UTC offset', () => {
    const ms = Date.UTC(2026, 0, 1, 9, 30);
    expect(atOffset(ms, 14 * 60)).toBe('2026-01-01T23:30:00+14:00');
    expect(atOffset(ms, -12 * 60)).toBe('2025-12-31T21:30:00-12:00');
    expect(atOffset(ms, 330)).toBe('2026-01-01T15:00:00+05:30');
    expect(Date.parse(atOffset(ms, -12 * 60))).toBe(ms);
  });
});
