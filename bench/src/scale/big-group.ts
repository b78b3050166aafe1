/**
 * Member PATCHes of one 100k-member group through each SQL store behind the server:
 * `pnpm --filter @scimkit/bench run big-group [--store sqlite,postgres] [--members 100000]
 * [--samples 200]`. The group's members need not exist as Users (the server keeps no
 * referential rule on `members.value`), so only the group is loaded. Each store is measured
 * twice side by side over real HTTP on 127.0.0.1: with its member slices
 * (`getMemberSlice`/`replaceMemberSlice`), and with them hidden from the server, which then
 * reads the whole group for every PATCH (the path before member slices).
 */
import { groupResourceType, type ScimResource } from '@scimkit/schema';
import { createScimServer, type ScimStore } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { userId } from '../corpus/users.js';
import { TOKEN } from '../server/protocol.js';
import { type Latency, latency } from './measure.js';
import { openStore, provision, type StoreKind, scaleGroup } from './stores.js';

interface Options {
  stores: StoreKind[];
  members: number;
  samples: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { stores: ['sqlite', 'postgres'], members: 100_000, samples: 200 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[++i] ?? '';
    if (arg === '--store') options.stores = value.split(',').filter(Boolean) as StoreKind[];
    else if (arg === '--members') options.members = Number(value);
    else if (arg === '--samples') options.samples = Number(value);
    else throw new Error(`Unknown option ${arg} (see the header of bench/src/scale/big-group.ts)`);
  }
  return options;
}

/** The store as a server without member slices sees it (the full PATCH path). */
function withoutSlices(store: ScimStore): ScimStore {
  // The SQL stores' methods are closures over the store, not `this`: a copy keeps them working.
  const { getMemberSlice: _read, replaceMemberSlice: _write, ...rest } = store;
  return rest;
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Okta's shapes: the k-th request adds `member` (even k) or removes it again (odd k). */
function toggle(k: number, member: string): unknown[] {
  return k % 2 === 0
    ? [{ op: 'add', path: 'members', value: [{ value: member }] }]
    : [{ op: 'remove', path: `members[value eq "${member}"]` }];
}

/** GET without members, and PATCH add / remove of one member (alternating), of the big group. */
async function measure(
  store: ScimStore,
  group: string,
  samples: number,
  label: string,
  small?: string,
): Promise<Latency[]> {
  // 'noContent': the PATCH as Okta and Entra ID send it (no projection) can take the slice path.
  const scim = createScimServer({
    store,
    auth: { tokens: [TOKEN] },
    basePath: '/scim/v2',
    memberPatchResponse: 'noContent',
  });
  const running = await serveNode({ server: scim, port: 0, host: '127.0.0.1' });
  const base = `${running.url}/scim/v2`;
  const outsider = userId(10_000_000); // not a member of the group
  try {
    return [
      await latency(base, `${label}: GET, excludedAttributes=members`, samples, () => ({
        path: `/Groups/${group}?excludedAttributes=members`,
      })),
      await latency(base, `${label}: PATCH add or remove one member`, samples, (k) => ({
        method: 'PATCH',
        path: `/Groups/${group}?excludedAttributes=members`,
        body: {
          schemas: [PATCH_OP],
          Operations: toggle(k, outsider),
        },
      })),
      // The floor: the same PATCH of a 10-member group (one transaction of a few statements).
      ...(small === undefined
        ? []
        : [
            await latency(
              base,
              `${label}: PATCH add or remove one member, 10-member group`,
              samples,
              (k) => ({
                method: 'PATCH',
                path: `/Groups/${small}?excludedAttributes=members`,
                body: {
                  schemas: [PATCH_OP],
                  Operations: toggle(k, outsider),
                },
              }),
            ),
          ]),
      // As Okta sends it: no projection, answered 204 (memberPatchResponse: 'noContent').
      await latency(base, `${label}: PATCH add or remove one member, answered 204`, samples, (k) => ({
        method: 'PATCH',
        path: `/Groups/${group}`,
        body: {
          schemas: [PATCH_OP],
          Operations: toggle(k, outsider),
        },
      })),
      // Entra ID's shapes: Add with a value list, Remove with a value list.
      await latency(base, `${label}: PATCH Entra Add / Remove value list`, samples, (k) => ({
        method: 'PATCH',
        path: `/Groups/${group}?excludedAttributes=members`,
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: k % 2 === 0 ? 'Add' : 'Remove', path: 'members', value: [{ value: outsider }] }],
        },
      })),
    ];
  } finally {
    await running.close();
  }
}

async function runStore(kind: StoreKind, options: Options): Promise<Latency[]> {
  const { location, remove } = await provision(kind);
  try {
    const store = openStore(location);
    try {
      const population = { users: options.members, groups: 1, bigGroup: options.members };
      const group = scaleGroup(0, population) as unknown as ScimResource;
      await store.create(groupResourceType, group, { context: {} });
      const small = scaleGroup(1, population) as unknown as ScimResource;
      await store.create(groupResourceType, small, { context: {} });
      console.log(`\n# ${kind}: one group of ${options.members} members`);
      const sliced = await measure(store, group.id, options.samples, 'member slices', small.id);
      // The full path is slow: a tenth of the samples (at least 20).
      const full = await measure(
        withoutSlices(store),
        group.id,
        Math.max(20, Math.floor(options.samples / 10)),
        'whole group',
      );
      return [...sliced, ...full];
    } finally {
      await store.close();
    }
  } finally {
    remove();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const rows: string[] = ['| store | request | p50 (ms) | p99 (ms) | samples |', '|---|---|---:|---:|---:|'];
  for (const kind of options.stores) {
    for (const result of await runStore(kind, options))
      rows.push(`| ${kind} | ${result.name} | ${result.p50} | ${result.p99} | ${result.samples} |`);
  }
  console.log(`\n${rows.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
