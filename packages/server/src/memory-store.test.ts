import { groupResourceType, userResourceType } from '@scimkit/schema';
import { describeStoreConformance } from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';

describeStoreConformance('createMemoryStore', () => createMemoryStore(), {
  userType: userResourceType,
  groupType: groupResourceType,
});

describe('createMemoryStore', () => {
  it('bumps the version of a group that loses a deleted member', async () => {
    const store = createMemoryStore();
    const meta = (resourceType: string, id: string) => ({
      resourceType,
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-01T00:00:00Z',
      location: `https://x/${id}`,
      version: 'W/"4"',
    });
    await store.create(
      userResourceType,
      { schemas: [], id: 'u', userName: 'u', meta: meta('User', 'u') },
      {},
    );
    await store.create(
      groupResourceType,
      {
        schemas: [],
        id: 'g',
        displayName: 'g',
        members: [{ value: 'u' }, { value: 'v' }],
        meta: meta('Group', 'g'),
      },
      {},
    );
    await store.delete(userResourceType, 'u', {}, {});
    const group = await store.get(groupResourceType, 'g', {});
    expect(group?.members).toEqual([{ value: 'v' }]);
    expect(group?.meta.version).toBe('W/"5"');
  });
});
