// Load-only smoke for tools/consumer-check.mjs (no database needed): the built package, under
// both `import` and `require`, validates its options and reaches pg, whose connection to a
// closed port is refused.
export default async (mod) => {
  let refused;
  try {
    mod.createPostgresStore({ schema: 'x' });
  } catch (error) {
    refused = error;
  }
  if (!(refused instanceof TypeError)) throw new Error('createPostgresStore accepted no connection');
  const store = mod.createPostgresStore({ connection: 'postgres://smoke@127.0.0.1:1/smoke' });
  const failed = await store.ready().then(
    () => undefined,
    (error) => error,
  );
  if (!failed || !/ECONNREFUSED|connect/.test(String(failed.message ?? failed))) {
    throw new Error(`expected a refused connection, got ${failed}`);
  }
  await store.close();
};
