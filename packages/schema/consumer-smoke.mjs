// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: zod validation, the error classes and the internal lookups
// each make a real call, so a broken interop (zod 4 under require, shared chunks) fails here.
export default async (mod, kind, subpath) => {
  if (subpath === '.') {
    const user = mod.validateResource(
      { schemas: [mod.USER_SCHEMA], userName: 'bjensen', active: 'True' },
      { resourceType: mod.userResourceType, context: 'create' },
    );
    if (user.userName !== 'bjensen')
      throw new Error(`${kind}: validateResource gave ${JSON.stringify(user)}`);
    const bad = mod.safeValidateResource(
      { schemas: [mod.USER_SCHEMA] },
      { resourceType: mod.userResourceType, context: 'create' },
    );
    if (bad.success || !mod.isScimError(bad.error) || bad.error.status !== 400) {
      throw new Error(`${kind}: a User without userName was not refused with a 400 ScimError`);
    }
  } else if (subpath === './errors') {
    const error = new mod.ScimError('taken', { status: 409, scimType: 'uniqueness' });
    if (!mod.isScimError(error) || error.toJSON().scimType !== 'uniqueness') {
      throw new Error(`${kind}: ScimError.toJSON gave ${JSON.stringify(error.toJSON())}`);
    }
  } else if (subpath === './internal') {
    const { userResourceType } = await import('@scimkit/schema');
    const index = mod.indexResourceType(userResourceType);
    const split = mod.splitQualifiedName(
      index,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    );
    if (split?.rest !== 'department' || split.entry.core) {
      throw new Error(`${kind}: splitQualifiedName gave ${JSON.stringify(split?.rest)}`);
    }
  } else {
    throw new Error(`${kind}: no smoke test for ${subpath}: add one to consumer-smoke.mjs`);
  }
};
