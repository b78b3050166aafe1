import type { PatchOp, PatchOperation as SchemaPatchOperation } from '@scimkit/schema';
import { expectTypeOf } from 'vitest';
import type { PatchOperation, PatchRequest } from './index.js';
import { diffResources } from './index.js';

// The schema package's PatchOp body and operations are accepted as they are.
expectTypeOf<PatchOp>().toExtend<PatchRequest>();
expectTypeOf<SchemaPatchOperation>().toExtend<PatchOperation>();
// Entra's capitalised ops type-check too.
expectTypeOf<{ op: 'Replace'; path: 'active'; value: 'False' }>().toExtend<PatchOperation>();
// A diff is a list of the schema package's (lower-case) operations.
expectTypeOf(diffResources({}, {})).toExtend<SchemaPatchOperation[]>();
