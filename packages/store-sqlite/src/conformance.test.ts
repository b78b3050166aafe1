import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { describeStoreConformance } from '@scimkit/test-utils';
import { afterAll } from 'vitest';
import { createSqliteStore } from './index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-conformance-'));
let count = 0;
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describeStoreConformance(
  'createSqliteStore',
  () => {
    count += 1;
    return createSqliteStore({ filename: path.join(dir, `store-${count}.db`) });
  },
  { userType: userResourceType, groupType: groupResourceType },
);
