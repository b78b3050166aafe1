// Called by tools/consumer-check.mjs with the BUILT package, once as loaded by `import` and
// once by `require`: a real users.get through a canned fetch proves that the bundled ky of the
// CJS build (and the external one of the ESM build) actually runs, not just loads.
export default async (mod, kind) => {
  const requests = [];
  const client = mod.createScimClient({
    baseUrl: 'https://scim.example.com/v2',
    token: 'smoke-token',
    retry: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push(`${request.method} ${request.url} ${request.headers.get('authorization')}`);
      return new Response(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          id: '2819c223',
          userName: 'bjensen',
          meta: { resourceType: 'User' },
        }),
        { status: 200, headers: { 'content-type': 'application/scim+json', etag: 'W/"3"' } },
      );
    },
  });
  const user = await client.users.get('2819c223');
  const expected = 'GET https://scim.example.com/v2/Users/2819c223 Bearer smoke-token';
  if (requests.join('|') !== expected) throw new Error(`${kind}: unexpected requests ${requests.join('|')}`);
  if (user.userName !== 'bjensen' || user.meta.version !== 'W/"3"') {
    throw new Error(`${kind}: unexpected user ${JSON.stringify(user)}`);
  }
  if (!mod.isScimHttpError(new mod.ScimHttpError({ status: 404, method: 'GET', url: 'x', body: '' }))) {
    throw new Error(`${kind}: isScimHttpError does not recognise ScimHttpError`);
  }
};
