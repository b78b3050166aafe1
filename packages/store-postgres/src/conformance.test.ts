import { groupResourceType, userResourceType } from '@scimkit/schema';
import { describeStoreConformance } from '@scimkit/test-utils';
import { openStore } from '../test/pg.js';

// Every test gets a store on a new schema of the real PostgreSQL that global-setup.ts provides.
describeStoreConformance('createPostgresStore', () => openStore(), {
  userType: userResourceType,
  groupType: groupResourceType,
});
