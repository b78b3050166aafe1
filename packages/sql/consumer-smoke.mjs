// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: a filter becomes parameterised SQL in both dialects.
export default async (mod, kind) => {
  const [{ parseFilter }, { userResourceType }] = await Promise.all([
    import('@scimkit/filter'),
    import('@scimkit/schema'),
  ]);
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
