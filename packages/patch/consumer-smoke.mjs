// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: an Entra ID style PATCH and a diff, for real; ./internal: the
// JSON equality the server shares with the PATCH engine.
export default async (mod, kind, subpath) => {
  if (subpath === './internal') {
    if (!mod.deepEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }) || mod.deepEqual([1, 2], [2, 1])) {
      throw new Error(`${kind}: deepEqual disagrees`);
    }
    return;
  }
  const user = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: '2819c223',
    userName: 'bjensen',
    active: true,
  };
  const { resource, changed } = mod.applyPatch(user, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  if (!changed || resource.active !== false || user.active !== true) {
    throw new Error(`${kind}: applyPatch gave ${JSON.stringify(resource)}`);
  }
  const failed = mod.safeApplyPatch(user, [{ op: 'explode', path: 'active' }]);
  if (failed.success || failed.error.status !== 400) throw new Error(`${kind}: an unknown op was accepted`);
  const operations = mod.diffResources(user, resource);
  if (operations.length !== 1) throw new Error(`${kind}: diffResources gave ${JSON.stringify(operations)}`);
};
