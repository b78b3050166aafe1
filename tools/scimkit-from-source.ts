// `pnpm -s scimkit …` and `pnpm demo` in a clone: the CLI from its TypeScript sources (run by tsx
// with the @scimkit/source condition, so no build is needed), in the directory pnpm was called
// from (pnpm runs scripts from the root and passes that directory as INIT_CWD), so relative
// paths (`import users.csv`, `--db ./scim.db`) mean what they do with an installed `scimkit`.
// The shipped bin never does this: INIT_CWD is also set for a user's own npm scripts.
if (process.env['INIT_CWD']) process.chdir(process.env['INIT_CWD']);
await import('../packages/cli/src/bin.ts');
