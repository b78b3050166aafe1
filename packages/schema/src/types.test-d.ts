import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ScimResource } from './resource.js';
import type {
  BulkRequest,
  BulkResponse,
  Group,
  GroupInput,
  ListResponse,
  PatchOp,
  ResourceType,
  SchemaResource,
  SearchRequest,
  ServiceProviderConfig,
  User,
  UserInput,
} from './types.js';
import type { ENTERPRISE_USER_SCHEMA } from './urns.js';
import type {
  bulkRequestSchema,
  bulkResponseSchema,
  groupInputSchema,
  groupSchema,
  listResponseSchema,
  patchOpSchema,
  resourceTypeSchema,
  schemaResourceSchema,
  searchRequestSchema,
  serviceProviderConfigSchema,
  userInputSchema,
  userSchema,
} from './zod.js';

/** Whether A is assignable to B (expect-type's toExtend trips over index signatures). */
type Assignable<A, B> = [A] extends [B] ? true : false;

describe('User and UserInput', () => {
  it('requires userName and schemas on input, and has no id, meta or groups there', () => {
    expectTypeOf<UserInput['userName']>().toEqualTypeOf<string>();
    expectTypeOf<{ schemas: string[] }>().not.toExtend<UserInput>();
    expectTypeOf<UserInput>().not.toHaveProperty('id');
    expectTypeOf<UserInput>().not.toHaveProperty('meta');
    expectTypeOf<UserInput>().not.toHaveProperty('groups');
    expectTypeOf<UserInput>().toHaveProperty('password');
  });

  it('always has id and meta on output and never password', () => {
    expectTypeOf<User['id']>().toEqualTypeOf<string>();
    expectTypeOf<User['meta']['version']>().toEqualTypeOf<string>();
    expectTypeOf<User>().not.toHaveProperty('password');
    expectTypeOf<Omit<User, 'id'>>().not.toExtend<User>();
  });

  it('keys the enterprise extension by its URN', () => {
    expectTypeOf<NonNullable<User[typeof ENTERPRISE_USER_SCHEMA]>['department']>().toEqualTypeOf<
      string | undefined
    >();
  });

  it('matches the zod schemas', () => {
    expectTypeOf<Assignable<z.output<typeof userSchema>, User>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof userInputSchema>, UserInput>>().toEqualTypeOf<true>();
  });
});

describe('Group and GroupInput', () => {
  it('requires displayName and matches the zod schemas', () => {
    expectTypeOf<GroupInput['displayName']>().toEqualTypeOf<string>();
    expectTypeOf<GroupInput>().not.toHaveProperty('id');
    expectTypeOf<Group['id']>().toEqualTypeOf<string>();
    expectTypeOf<Assignable<z.output<typeof groupSchema>, Group>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof groupInputSchema>, GroupInput>>().toEqualTypeOf<true>();
  });
});

describe('messages', () => {
  it('infers ListResponse<T> from listResponseSchema(item)', () => {
    type Page = z.output<ReturnType<typeof listResponseSchema<typeof userSchema>>>;
    expectTypeOf<Assignable<Page, ListResponse<z.output<typeof userSchema>>>>().toEqualTypeOf<true>();
    expectTypeOf<Page['Resources']>().toEqualTypeOf<z.output<typeof userSchema>[]>();
  });

  it('lower-cases PATCH op names in the output type', () => {
    expectTypeOf<Assignable<z.output<typeof patchOpSchema>, PatchOp>>().toEqualTypeOf<true>();
    expectTypeOf<z.input<typeof patchOpSchema>['Operations'][number]['op']>().toEqualTypeOf<string>();
    expectTypeOf<PatchOp['Operations'][number]['op']>().toEqualTypeOf<'add' | 'remove' | 'replace'>();
  });

  it('matches bulk, search and discovery types', () => {
    expectTypeOf<Assignable<z.output<typeof bulkRequestSchema>, BulkRequest>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof bulkResponseSchema>, BulkResponse>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof searchRequestSchema>, SearchRequest>>().toEqualTypeOf<true>();
    expectTypeOf<
      Assignable<z.output<typeof serviceProviderConfigSchema>, ServiceProviderConfig>
    >().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof resourceTypeSchema>, ResourceType>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<z.output<typeof schemaResourceSchema>, SchemaResource>>().toEqualTypeOf<true>();
  });
});

describe('resource types', () => {
  it('are assignable to ScimResource and plain records', () => {
    expectTypeOf<Assignable<User, ScimResource>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<Group, ScimResource>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<UserInput, Record<string, unknown>>>().toEqualTypeOf<true>();
  });
});
