import { describe, expectTypeOf, it } from 'vitest';
import { groupResourceType, userResourceType } from './definitions.js';
import { createResourceShaper, shapeResource } from './shape.js';
import type { Group, User } from './types.js';

describe('shapeResource', () => {
  it('keeps the type of the resource it shapes', () => {
    expectTypeOf(shapeResource({} as User, { resourceType: userResourceType })).toEqualTypeOf<User>();
    const shape = createResourceShaper({ resourceType: groupResourceType, attributes: ['displayName'] });
    expectTypeOf(shape({} as Group)).toEqualTypeOf<Group>();
  });

  it('takes attribute lists as text, strings or parsed paths', () => {
    shapeResource({} as User, { resourceType: userResourceType, attributes: 'userName,emails.value' });
    shapeResource({} as User, {
      resourceType: userResourceType,
      excludedAttributes: ['emails', { attribute: 'name', subAttribute: 'givenName' }],
    });
    // @ts-expect-error a number is not an attribute list
    shapeResource({} as User, { resourceType: userResourceType, attributes: 5 });
  });
});
