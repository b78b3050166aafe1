import { describe, expect, it } from 'vitest';
import {
  handWritten,
  PEER_EVALUATORS,
  PEER_PARSERS,
  PEER_PATCHERS,
  PEER_VALIDATORS,
} from './adapters/peers.js';
import { loadScimkit } from './adapters/scimkit.js';
import { differingAttributes } from './compare.js';
import { EVAL_CASES, filterCorpus } from './corpus/filters.js';
import { memberOperations, NEW_MEMBER_ID, PATCH_CASES, patchInput } from './corpus/patches.js';
import { generateGroup, generateUser, generateUsers, userToCreate } from './corpus/users.js';
import { parseArgs } from './run.js';

// These tests check that every library in a comparison computes the same thing, so the
// benchmark compares like with like. They never time anything.

const users = generateUsers(600);
const scimkit = await loadScimkit();

describe('corpus', () => {
  it('holds at least 200 filters from every source', () => {
    const corpus = filterCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((f) => f.source))).toEqual(
      new Set(['rfc', 'entra', 'okta', 'app', 'generated']),
    );
  });

  it('generates the same users on every run, with unique ids and userNames', () => {
    expect(generateUser(42)).toEqual(generateUser(42));
    expect(JSON.stringify(generateUsers(3))).toBe(JSON.stringify(generateUsers(3)));
    const many = generateUsers(5000);
    expect(new Set(many.map((u) => u.id)).size).toBe(5000);
    expect(new Set(many.map((u) => u.userName)).size).toBe(5000);
  });

  it('gives every evaluation filter some matches and some misses', () => {
    for (const c of EVAL_CASES) {
      const n = handWritten(c.predicate)(users);
      expect(n, c.name).toBeGreaterThan(0);
      expect(n, c.name).toBeLessThan(users.length);
    }
  });
});

describe('filter evaluators', () => {
  const evaluators = [...(scimkit.evaluator ? [scimkit.evaluator] : []), ...PEER_EVALUATORS];
  const agreed = [
    'userName eq (Okta lookup)',
    'and of two eq',
    'value path with co',
    'sw or ew on sub-attributes',
  ];
  for (const c of EVAL_CASES.filter((x) => agreed.includes(x.name))) {
    it(`agree with the hand-written predicate on ${c.name}`, () => {
      const expected = handWritten(c.predicate)(users);
      for (const e of evaluators) expect(e.compile(c.text)(users), e.name).toBe(expected);
    });
  }
});

describe('filter parsers', () => {
  it('all accept the RFC 7644 examples that every peer supports', () => {
    const texts = ['userName eq "bjensen"', 'title pr and userType eq "Employee"', 'emails[type eq "work"]'];
    const parsers = [...(scimkit.parser ? [scimkit.parser] : []), ...PEER_PARSERS];
    for (const p of parsers) for (const t of texts) expect(() => p.parse(t), `${p.name}: ${t}`).not.toThrow();
  });
});

describe('PATCH engines', () => {
  const patchers = [...(scimkit.patcher ? [scimkit.patcher] : []), ...PEER_PATCHERS];
  for (const id of [
    'entra-sync',
    'add-remove',
    'mixed',
    'entra-urn',
    'okta-member-add',
    'okta-member-remove',
  ]) {
    const c = PATCH_CASES.find((x) => x.id === id)!;
    it(`give the same resource for ${c.name}`, async () => {
      const user = patchInput(c);
      const results = [];
      for (const p of patchers)
        results.push(p.toJson(await p.apply(structuredClone(user), c.operations, c.resourceType)));
      for (let i = 1; i < results.length; i++) {
        expect(differingAttributes(results[0], results[i]), patchers[i]!.name).toEqual([]);
      }
      expect(differingAttributes(user, results[0])).not.toEqual([]);
    });
  }

  it('add then remove one member of a big group and end where they started', async () => {
    const size = 1000;
    const ops = memberOperations(size);
    for (const p of patchers) {
      const group = generateGroup(1, size);
      const added = p.toJson(await p.apply(structuredClone(group), ops.add, 'Group')) as {
        members: { value: string }[];
      };
      expect(added.members.length, p.name).toBe(size + 1);
      expect(
        added.members.some((m) => m.value === NEW_MEMBER_ID),
        p.name,
      ).toBe(true);
      const removed = p.toJson(
        await p.apply(added, [{ op: 'remove', path: `members[value eq "${NEW_MEMBER_ID}"]` }], 'Group'),
      ) as { members: unknown[] };
      expect(removed.members.length, p.name).toBe(size);
    }
  });
});

describe('validators', () => {
  it('accept the full Enterprise user', () => {
    const validators = [...(scimkit.validator ? [scimkit.validator] : []), ...PEER_VALIDATORS];
    for (const v of validators) expect(() => v.validate(userToCreate(3)), v.name).not.toThrow();
  });
});

describe('parseArgs', () => {
  it('reads --quick, --large and a list of suites', () => {
    expect(parseArgs(['--quick', '--only', 'patch,server', '--large'])).toEqual({
      quick: true,
      large: true,
      only: ['patch', 'server'],
      noWrite: false,
      baseline: false,
    });
  });

  it('rejects an unknown suite', () => {
    expect(() => parseArgs(['--only=nope'])).toThrow('Unknown suite nope');
  });
});
