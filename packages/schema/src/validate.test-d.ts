import { describe, expectTypeOf, it } from 'vitest';
import { userResourceType } from './definitions.js';
import type { UserInput } from './types.js';
import { safeValidateResource, validateResource } from './validate.js';
import type { ScimValidationError } from './validation.js';

describe('validateResource', () => {
  it('returns a record by default and the requested type when given one', () => {
    const options = { resourceType: userResourceType, context: 'create' } as const;
    expectTypeOf(validateResource({}, options)).toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf(validateResource<UserInput>({}, options)).toEqualTypeOf<UserInput>();
  });

  it('narrows the safe result on success', () => {
    const result = safeValidateResource<UserInput>(
      {},
      { resourceType: userResourceType, context: 'replace' },
    );
    if (result.success) {
      expectTypeOf(result.data.userName).toEqualTypeOf<string>();
    } else {
      expectTypeOf(result.error).toEqualTypeOf<ScimValidationError>();
      expectTypeOf(result.error.issues[0]!.scimType).toExtend<string>();
    }
  });

  it('accepts only the four contexts', () => {
    // @ts-expect-error 'update' is not a context
    validateResource({}, { resourceType: userResourceType, context: 'update' });
  });
});
