// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: a filter becomes parameterised SQL in both dialects;
// ./internal: the storage layout and the store errors the SQL stores share.
export default async (mod, kind, subpath) => {
  const [{ parseFilter }, { groupResourceType, isScimError, userResourceType }] = await Promise.all([
    import('@scimkit/filter'),
    import('@scimkit/schema'),
  ]);
  if (subpath === './internal') {
    const layout = mod.storageLayout(groupResourceType);
    if (layout.childAttribute !== 'members' || !layout.indexed.has('displayName')) {
      throw new Error(`${kind}: storageLayout(Group) gave ${layout.childAttribute}, ${layout.signature}`);
    }
    try {
      mod.checkVersion(groupResourceType, 'g1', 'W/"2"', 'W/"1"');
      throw new Error(`${kind}: checkVersion accepted a stale If-Match`);
    } catch (error) {
      if (!isScimError(error) || error.status !== 412) throw error;
    }
    return;
  }
  const filter = parseFilter('userName eq "bjensen" and emails[value co "50%"]');
  for (const dialect of [mod.sqliteDialect(), mod.postgresDialect()]) {
    const { sql, params } = mod.translateFilter(filter, { dialect, resourceType: userResourceType });
    if (
      sql.includes('bjensen') ||
      !params.includes('bjensen') ||
      !params.some((p) => String(p).includes('50\\%'))
    ) {
      throw new Error(`${kind}: translateFilter gave ${sql} with ${JSON.stringify(params)}`);
    }
  }
};
