/** The check catalogue, in the order a run goes through it. */
import type { CheckDefinition } from '../context.js';
import { bulkChecks } from './bulk.js';
import { discoveryChecks } from './discovery.js';
import { errorChecks, etagChecks } from './errors.js';
import { filterChecks } from './filter.js';
import { groupChecks } from './groups.js';
import { idpChecks } from './idp.js';
import { pagingChecks } from './paging.js';
import { patchChecks } from './patch.js';
import { projectionChecks } from './projection.js';
import { uniquenessChecks } from './uniqueness.js';
import { userChecks } from './users.js';

/** Every check, grouped in CHECK_GROUPS order. */
export const CATALOGUE: readonly CheckDefinition[] = [
  ...discoveryChecks,
  ...userChecks,
  ...groupChecks,
  ...patchChecks,
  ...filterChecks,
  ...pagingChecks,
  ...projectionChecks,
  ...errorChecks,
  ...etagChecks,
  ...bulkChecks,
  ...uniquenessChecks,
  ...idpChecks,
];
