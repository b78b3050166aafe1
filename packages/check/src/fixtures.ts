/**
 * The resources several checks share, created once per run through the typed client (which
 * copes with servers that answer oddly, so a fixture fails only when the server cannot create
 * at all). Every name starts with the run's prefix.
 */
import type { Group, User } from '@scimkit/schema';
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, CheckSkipped, type Fixture } from './context.js';
import { expectIds, readList } from './expect.js';
import type { Answer } from './http.js';

/** The users filters, paging and projection are checked on. */
export interface Population {
  /** `userName sw "<scope>"` selects exactly these three users. */
  scope: string;
  alice: User;
  bob: User;
  carol: User;
  /** The three, in creation order. */
  all: User[];
  /** id → first name, for readable messages. */
  names: Map<string, string>;
}

/**
 * The three users of the population as sent: filters can tell them apart. Bob's userName has
 * capitals (case-insensitive matching), only Bob is inactive, only Bob has no title, Bob's
 * work email is on the "home" domain (a value path must hold within one value), Alice has a
 * second, non-primary email.
 */
export function populationInput(prefix: string): { scope: string; users: Record<string, unknown>[] } {
  const scope = `${prefix}-pop.`;
  return {
    scope,
    users: [
      {
        schemas: [USER_SCHEMA],
        userName: `${scope}alice@example.com`,
        externalId: `${prefix}-ext-Alice`,
        displayName: 'Alice Andersen',
        name: { givenName: 'Alice', familyName: 'Andersen' },
        title: 'Engineer',
        nickName: 'Ali',
        active: true,
        emails: [
          { value: `${scope}alice@work.example.com`, type: 'work', primary: true },
          { value: `${scope}alice@home.example.com`, type: 'home' },
        ],
      },
      {
        schemas: [USER_SCHEMA],
        userName: `${scope}Bob@example.com`,
        externalId: `${prefix}-ext-Bob`,
        displayName: 'Bob Brown',
        name: { givenName: 'Bob', familyName: 'Brown' },
        active: false,
        emails: [{ value: `${scope}bob@home.example.com`, type: 'work', primary: true }],
      },
      {
        schemas: [USER_SCHEMA],
        userName: `${scope}carol@example.com`,
        externalId: `${prefix}-ext-Carol`,
        displayName: 'Carol Chen',
        name: { givenName: 'Carol', familyName: 'Chen' },
        title: 'Manager',
        active: true,
        emails: [{ value: `${scope}carol@home.example.com`, type: 'home', primary: true }],
      },
    ],
  };
}

/** The population as a value: the users as the server returned them. */
export function populationOf(scope: string, [alice, bob, carol]: [User, User, User]): Population {
  const all = [alice, bob, carol];
  const names = new Map(all.map((user, index) => [user.id, ['alice', 'bob', 'carol'][index] ?? '']));
  return { scope, alice, bob, carol, all, names };
}

/** Fails unless `found` (ids read from `answer`) is the whole population, each once. */
export function expectPopulation(answer: Answer, found: readonly string[], people: Population): void {
  expectIds(
    answer,
    found,
    people.all.map((user) => user.id),
    people.names,
  );
}

/** Creates the {@link populationInput} users through the typed client. */
export const population: Fixture<Population> = {
  name: 'population (three users for filters, paging and projection)',
  async create(context) {
    const { scope, users } = populationInput(context.prefix);
    const created: User[] = [];
    for (const input of users) {
      created.push(
        await context.viaClient(`creating ${String(input.userName)}`, (client) =>
          client.users.create(input as never),
        ),
      );
    }
    return populationOf(scope, created as [User, User, User]);
  },
};

/** A group of Alice and Bob. */
export const team: Fixture<Group> = {
  name: 'team (a group of two population users)',
  async create(context) {
    const { alice, bob } = await context.fixture(population);
    return context.viaClient('creating the team group', (client) =>
      client.groups.create({
        schemas: [GROUP_SCHEMA],
        displayName: `${context.prefix}-team`,
        members: [{ value: alice.id }, { value: bob.id }],
      }),
    );
  },
};

/**
 * A user to read: a population user, or in a read-only run the first user the server lists
 * (skipping the check when it has none).
 */
export async function sampleUser(context: CheckContext): Promise<Record<string, unknown>> {
  if (!context.readOnly)
    return (await context.fixture(population)).alice as unknown as Record<string, unknown>;
  const answer = await context.send({ method: 'GET', path: '/Users', query: { startIndex: 1, count: 1 } });
  const first = answer.status === 200 ? readList(answer).resources[0] : undefined;
  if (!first || typeof first.id !== 'string') throw new CheckSkipped('the server lists no user to read');
  return first;
}
