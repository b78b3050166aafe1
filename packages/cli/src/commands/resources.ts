import { ENTERPRISE_USER_SCHEMA } from '@scimkit/schema';
import { type Command, Option } from 'commander';
import { collect, patchOperations, readJsonFile } from '../assignments.js';
import { parseColumnPath, setPath } from '../attributes.js';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, outputOf, positiveInteger } from '../context.js';
import { usageError } from '../errors.js';
import { checkFilter, strictOption } from '../filter-option.js';
import { withExamples } from '../help.js';
import { newResource } from '../new-resource.js';
import { columnsFor, createListWriter, writeOne } from '../output.js';

type Kind = 'users' | 'groups';

interface ListOptions {
  filter?: string;
  strict?: boolean;
  attributes?: string;
  excludedAttributes?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  pageSize?: number;
  limit?: number;
}

/** `scimkit users …` and `scimkit groups …`: list, get, create, replace, patch, delete (+ deactivate, members). */
export function registerResources(program: Command, context: CommandContext, kind: Kind): void {
  const singular = kind === 'users' ? 'User' : 'Group';
  const { io } = context;
  /** Prints one resource in the chosen format (the table/CSV columns follow `--attributes`). */
  const print = (command: Command, resource: object, attributes?: string) =>
    writeOne(resource, {
      format: outputOf(command, io),
      stream: io.stdout,
      colors: colorsOf(command, io).out,
      columns: columnsFor(kind, attributes),
    });
  const parent = program
    .command(kind)
    .description(`${singular} resources (/${singular}s) on the server at --url`);
  withExamples(parent, [`scimkit ${kind} list`, `scimkit ${kind} get <id> --output json`]);

  const list = parent
    .command('list')
    .description(`list ${kind}, streamed page by page (table, json, jsonl or csv)`)
    .option('-f, --filter <filter>', 'SCIM filter, checked locally before it is sent')
    .addOption(strictOption())
    .option('-a, --attributes <list>', 'comma-separated attributes to return; also the table/CSV columns')
    .option('--excluded-attributes <list>', 'comma-separated attributes to leave out')
    .option('--sort-by <attribute>', 'attribute to sort by')
    .addOption(new Option('--sort-order <order>', 'sort order').choices(['ascending', 'descending']))
    .option('--page-size <n>', 'resources per request', positiveInteger('--page-size'))
    .option('--limit <n>', 'stop after n resources', positiveInteger('--limit'))
    .action(async (options: ListOptions, command: Command) => {
      if (options.filter !== undefined) checkFilter(options.filter, options);
      const client = clientOf(command, context);
      const colors = colorsOf(command, io);
      const writer = createListWriter({
        format: outputOf(command, io),
        columns: columnsFor(kind, options.attributes),
        stream: io.stdout,
        colors: colors.out,
      });
      const result = client[kind].list({
        ...(options.filter !== undefined ? { filter: options.filter } : {}),
        ...(options.attributes !== undefined ? { attributes: options.attributes } : {}),
        ...(options.excludedAttributes !== undefined
          ? { excludedAttributes: options.excludedAttributes }
          : {}),
        ...(options.sortBy !== undefined ? { sortBy: options.sortBy } : {}),
        ...(options.sortOrder !== undefined ? { sortOrder: options.sortOrder } : {}),
        ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        signal: context.signal,
      });
      for await (const page of result.pages()) await writer.page(page.resources);
      await writer.end();
    });
  withExamples(list, [
    `scimkit ${kind} list`,
    kind === 'users'
      ? `scimkit users list --filter 'userName sw "b" and active eq true' --sort-by userName`
      : `scimkit groups list --filter 'displayName co "eng"' --excluded-attributes members`,
    kind === 'users'
      ? 'scimkit users list --attributes userName,name.familyName,emails --output csv > users.csv'
      : 'scimkit groups list --output jsonl | jq .displayName',
  ]);

  const get = parent
    .command('get')
    .description(`show one ${singular} by id (exit code 3 when it does not exist)`)
    .argument('<id>', `the ${singular}'s id`)
    .option('-a, --attributes <list>', 'comma-separated attributes to return')
    .action(async (id: string, options: { attributes?: string }, command: Command) => {
      const client = clientOf(command, context);
      const resource = await client[kind].get(id, {
        ...(options.attributes !== undefined ? { attributes: options.attributes } : {}),
      });
      await print(command, resource, options.attributes);
    });
  withExamples(get, [
    `scimkit ${kind} get 2819c223-7f76-453a-919d-413861904646`,
    `scimkit ${kind} get <id> -o json`,
  ]);

  const create = parent
    .command('create')
    .description(
      kind === 'users'
        ? 'create a User from a JSON file and/or --set flags; active unless you --set active=false; prints the created User'
        : 'create a Group from a JSON file and/or --set flags; prints the created Group',
    )
    .option('--file <file>', 'a JSON resource (- for stdin)')
    .option(
      '--set <path=value>',
      'set an attribute (repeatable; emails=a@x.com;b@y.com, active=false)',
      collect,
    )
    .action(async (options: { file?: string; set?: string[] }, command: Command) => {
      const resource = await resourceFrom(kind, options);
      const client = clientOf(command, context);
      const created = await client[kind].create(resource as never);
      await print(command, created);
    });
  withExamples(
    create,
    kind === 'users'
      ? [
          'scimkit users create --set userName=bjensen --set name.givenName=Barbara --set emails=bjensen@example.com',
          'scimkit users create --set userName=contractor --set active=false',
          `scimkit users create --file bjensen.json --set ${ENTERPRISE_USER_SCHEMA}:department=Sales`,
        ]
      : ['scimkit groups create --set displayName=Engineering', 'scimkit groups create --file group.json'],
  );

  const replace = parent
    .command('replace')
    .description(`replace a ${singular} wholesale (PUT) from a JSON file`)
    .argument('<id>', `the ${singular}'s id`)
    .requiredOption('--file <file>', 'the complete JSON resource (- for stdin)')
    .option('--if-match <etag>', 'only if the resource is still at this version (else exit 1, HTTP 412)')
    .action(async (id: string, options: { file: string; ifMatch?: string }, command: Command) => {
      const resource = await readJsonFile(options.file);
      const client = clientOf(command, context);
      const replaced = await client[kind].replace(id, resource as never, {
        ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}),
      });
      await print(command, replaced);
    });
  withExamples(replace, [
    `scimkit ${kind} replace <id> --file ${singular.toLowerCase()}.json --if-match 'W/"3"'`,
  ]);

  const patch = parent
    .command('patch')
    .description(`change a ${singular} with PATCH operations (applied in order, all or nothing)`)
    .argument('<id>', `the ${singular}'s id`)
    .option('--add <path=value>', 'add operation (repeatable)', collect)
    .option('--replace <path=value>', 'replace operation (repeatable)', collect)
    .option('--remove <path>', 'remove operation (repeatable)', collect)
    .option('--file <file>', 'a PatchOp body or an array of operations, in JSON (- for stdin)')
    .option('--if-match <etag>', 'only if the resource is still at this version (else exit 1, HTTP 412)')
    .action(
      async (
        id: string,
        options: { add?: string[]; replace?: string[]; remove?: string[]; file?: string; ifMatch?: string },
        command: Command,
      ) => {
        const operations: unknown[] = [];
        if (options.file !== undefined) {
          const body = await readJsonFile(options.file);
          const fromFile = Object.hasOwn(body, 'Operations') ? body['Operations'] : undefined;
          if (!Array.isArray(fromFile))
            throw usageError(`${options.file} must be a PatchOp with "Operations"`);
          operations.push(...fromFile);
        }
        operations.push(...patchOperations(options));
        if (operations.length === 0)
          throw usageError('nothing to do: give --add, --replace, --remove or --file');
        const client = clientOf(command, context);
        const patched = await client[kind].patch(id, operations as never, {
          ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}),
        });
        if (patched !== undefined) {
          await print(command, patched);
        }
      },
    );
  withExamples(
    patch,
    kind === 'users'
      ? [
          `scimkit users patch <id> --replace ${ENTERPRISE_USER_SCHEMA}:department=Finance`,
          `scimkit users patch <id> --add 'emails[type eq "work"].value=b@example.com' --remove nickName`,
          'scimkit users patch <id> --replace active=false --if-match \'W/"3"\'',
        ]
      : [
          'scimkit groups patch <id> --replace displayName=Platform',
          `scimkit groups patch <id> --remove 'members[value eq "2819c223"]'`,
        ],
  );

  if (kind === 'users') {
    const deactivate = parent
      .command('deactivate')
      .description('set active=false (the leaver step; reversible, unlike delete)')
      .argument('<id>', "the User's id")
      .action(async (id: string, _options: unknown, command: Command) => {
        const client = clientOf(command, context);
        const user = await client.users.deactivate(id);
        if (user !== undefined) {
          await print(command, user);
        }
      });
    withExamples(deactivate, ['scimkit users deactivate 2819c223-7f76-453a-919d-413861904646']);
  }

  const remove = parent
    .command('delete')
    .description(`delete a ${singular} (exit code 3 when it does not exist)`)
    .argument('<id>', `the ${singular}'s id`)
    .option('--if-match <etag>', 'only if the resource is still at this version')
    .action(async (id: string, options: { ifMatch?: string }, command: Command) => {
      const client = clientOf(command, context);
      await client[kind].delete(id, {
        ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}),
      });
      if (io.stderr.isTTY)
        io.stderr.write(`${colorsOf(command, io).err.green('deleted')} ${singular}s/${id}\n`);
    });
  withExamples(remove, [`scimkit ${kind} delete <id>`]);

  if (kind === 'groups') {
    const members = parent.command('members').description('add or remove Group members (PATCH on members)');
    withExamples(members, ['scimkit groups members add <groupId> <userId> <userId>']);
    for (const action of ['add', 'remove'] as const) {
      const command = members
        .command(action)
        .description(`${action} members ${action === 'add' ? 'to' : 'from'} a Group`)
        .argument('<groupId>', "the Group's id")
        .argument('<memberIds...>', 'ids of Users or Groups')
        .action(async (groupId: string, memberIds: string[], _options: unknown, self: Command) => {
          const client = clientOf(self, context);
          const group =
            action === 'add'
              ? await client.groups.addMembers(groupId, memberIds)
              : await client.groups.removeMembers(groupId, memberIds);
          if (group !== undefined) {
            await print(self, group);
          }
        });
      withExamples(command, [`scimkit groups members ${action} <groupId> <userId1> <userId2>`]);
    }
  }
}

/**
 * A resource from `--file` and `--set` flags (flags win), completed by {@link newResource}:
 * `schemas` filled in, and a User active unless `active` is given.
 */
export async function resourceFrom(
  kind: Kind,
  options: { file?: string; set?: string[] },
): Promise<Record<string, unknown>> {
  const resource: Record<string, unknown> =
    options.file !== undefined ? await readJsonFile(options.file) : {};
  for (const assignment of options.set ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw usageError(`--set expects path=value, got "${assignment}"`);
    setPath(resource, parseColumnPath(assignment.slice(0, equals)), assignment.slice(equals + 1));
  }
  if (Object.keys(resource).every((key) => key === 'schemas')) {
    throw usageError(
      `nothing to create: give --file or --set (e.g. --set ${kind === 'users' ? 'userName' : 'displayName'}=…)`,
    );
  }
  return newResource(kind, resource);
}
