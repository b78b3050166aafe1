/**
 * The joiner-mover-leaver story: one employee through discovery, joiner, group join, mover,
 * reconciliation and leaver (and, if asked, the hard delete), as the steps an identity
 * provider takes. `scimkit demo` prints it; the console's "Run the demo" plays it; and
 * {@link storyStepOf} names the step a real identity provider's request is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7642#section-3 (the lifecycle use cases)
 */
import { isScimHttpError, type ScimClient } from '@scimkit/client';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@scimkit/schema';

/** The steps of the story, by name (`Other` for a request that is none of them). */
export type StoryStep =
  | 'Discovery'
  | 'Group push'
  | 'Joiner'
  | 'Group join'
  | 'Mover'
  | 'Reconciliation'
  | 'Leaver'
  | 'Hard delete'
  | 'Other';

/** One step of {@link joinerMoverLeaver}. */
export interface ScenarioStep {
  /** Which step of the story it is. */
  step: StoryStep;
  /** What happens, in one sentence (`HR hires Barbara Jensen; the identity provider creates her account`). */
  summary: string;
  /** A preparation rather than a step of the story (the group the IdP pushes first). */
  setup: boolean;
  /** The attributes of the response this step is about, to excerpt (all when absent). */
  focus?: readonly string[];
  /** Runs the step's requests; resolves to what they showed, one sentence each. */
  run(client: ScimClient): Promise<string[]>;
}

/** Options of {@link joinerMoverLeaver}. */
export interface ScenarioOptions {
  /** After the leaver step, DELETE the user and read it again (404). @defaultValue false */
  hardDelete?: boolean;
  /**
   * Appended to the employee's and the group's identifiers (`bjensen.7f3a@example.com`,
   * `E1234-7f3a`), so the story can run again against a server that keeps its data.
   */
  tag?: string;
}

/** Thrown when the server does not answer as the story expects (a user still there after DELETE). */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

async function firstPage(client: ScimClient, filter: string) {
  for await (const page of client.users.list({ filter, pageSize: 10, paging: 'index' }).pages()) return page;
  return { totalResults: 0, resources: [] };
}

/**
 * The joiner-mover-leaver story as steps to run one after the other with a {@link ScimClient}:
 * the IdP pushes the Engineering group (setup), discovery, joiner (POST with the Enterprise
 * extension and an externalId), group join, mover (PATCH of the URN-qualified department with
 * If-Match), reconciliation (filter by externalId), leaver (PATCH active=false) and, with
 * `hardDelete`, DELETE and the 404 that follows.
 *
 * @example
 * ```ts
 * import { createScimClient } from '@scimkit/client';
 * import { joinerMoverLeaver } from '@scimkit/console';
 *
 * const client = createScimClient({ baseUrl: 'http://127.0.0.1:8080/scim/v2', token: process.env.SCIM_TOKEN ?? '' });
 * for (const step of joinerMoverLeaver({ hardDelete: true })) {
 *   console.log(`${step.step}: ${step.summary}`);
 *   for (const note of await step.run(client)) console.log(`  ${note}`);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7642#section-3
 */
export function joinerMoverLeaver(options: ScenarioOptions = {}): ScenarioStep[] {
  const suffix = options.tag ? `-${options.tag}` : '';
  const userName = options.tag ? `bjensen.${options.tag}@example.com` : 'bjensen@example.com';
  const externalId = `E1234${suffix}`;
  // What the steps learn and later ones use.
  let groupId = '';
  let groupName = '';
  let userId = '';
  let version: string | undefined;

  const steps: ScenarioStep[] = [
    {
      step: 'Discovery',
      summary: 'what does this service provider support?',
      setup: false,
      async run(client) {
        const discovery = await client.discover();
        const config = discovery.serviceProviderConfig as unknown as Record<string, { supported?: boolean }>;
        const supported = ['patch', 'bulk', 'filter', 'sort', 'etag']
          .filter((name) => config[name]?.supported === true)
          .join(', ');
        const types = discovery.resourceTypes.map((type) => type.name).join(', ');
        return [`supports ${supported}; resource types ${types}`];
      },
    },
    {
      step: 'Group push',
      summary: 'the IdP pushes the Engineering group',
      setup: true,
      async run(client) {
        const group = await client.groups.create({
          displayName: 'Engineering',
          externalId: `grp-eng${suffix}`,
        });
        groupId = group.id;
        groupName = group.displayName;
        return [];
      },
    },
    {
      step: 'Joiner',
      summary: 'HR hires Barbara Jensen; the identity provider creates her account',
      setup: false,
      focus: ['id', 'externalId', 'userName', 'active'],
      async run(client) {
        const user = await client.users.create({
          schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
          externalId,
          userName,
          name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Barbara Jensen' },
          displayName: 'Barbara Jensen',
          emails: [{ value: userName, type: 'work', primary: true }],
          active: true,
          [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '1234', department: 'Engineering' },
        } as never);
        userId = user.id;
        version = user.meta.version;
        return [`the server minted id ${user.id}; externalId ${externalId} is the IdP's own key`];
      },
    },
    {
      step: 'Group join',
      summary: 'she is added to Engineering',
      setup: false,
      focus: ['id', 'displayName', 'members'],
      async run(client) {
        await client.groups.addMembers(groupId, [userId]);
        return [`${userName} is a member of ${groupName}`];
      },
    },
    {
      step: 'Mover',
      summary: 'she moves to Finance (URN-qualified path, guarded by If-Match)',
      setup: false,
      focus: ['id', ENTERPRISE_USER_SCHEMA],
      async run(client) {
        const ifMatch = version ?? (await client.users.get(userId)).meta.version;
        const moved = await client.users.patch(
          userId,
          [{ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Finance' }],
          { ifMatch },
        );
        const enterprise = moved?.[ENTERPRISE_USER_SCHEMA as never] as { department?: string } | undefined;
        return [
          `department is now ${enterprise?.department ?? '(not returned)'}; the version changed, so a stale writer would get 412`,
        ];
      },
    },
    {
      step: 'Reconciliation',
      summary: 'the IdP looks her up by externalId',
      setup: false,
      async run(client) {
        const page = await firstPage(client, `externalId eq "${externalId}"`);
        const names = page.resources.map((found) => found.userName).join(', ');
        return [`ListResponse with totalResults ${page.totalResults}: ${names}`];
      },
    },
    {
      step: 'Leaver',
      summary: 'she leaves; the IdP deactivates the account (PATCH active=false)',
      setup: false,
      focus: ['id', 'userName', 'active'],
      async run(client) {
        const left = await client.users.deactivate(userId);
        return [`active is now ${String(left?.active)}; the account stays for audit, sign-in is off`];
      },
    },
  ];
  if (options.hardDelete) {
    steps.push({
      step: 'Hard delete',
      summary: 'the account is removed, and reading it again fails',
      setup: false,
      async run(client) {
        await client.users.delete(userId);
        try {
          await client.users.get(userId);
        } catch (error) {
          if (isScimHttpError(error) && error.status === 404) {
            return ['the user is gone: 404 Not Found, as RFC 7644 section 3.6 requires'];
          }
          throw error;
        }
        throw new ScenarioError(`GET /Users/${userId} still answered after DELETE`);
      },
    });
  }
  return steps;
}

/** What {@link storyStepOf} looks at. */
export interface StoryStepInput {
  /** The HTTP method. */
  method: string;
  /** The path segments after the base path (`['Users', '2819c']`). */
  segments: readonly string[];
  /** The request body as text (possibly redacted), or empty. */
  requestBody: string;
  /** Whether the exchange turned a resource's `active` off. */
  deactivated: boolean;
}

const DISCOVERY = new Set(['serviceproviderconfig', 'schemas', 'resourcetypes', 'openapi.json']);

/** Whether a PATCH or PUT body sets `active` to false (`"active": false`, Entra's `"False"`, a path `active`). */
function setsInactive(body: string): boolean {
  return (
    /"active"\s*:\s*(?:false|"false")/i.test(body) ||
    /"path"\s*:\s*"active"[^}]*"value"\s*:\s*(?:false|"false")/i.test(body)
  );
}

/**
 * The story step a request is, as an identity provider's requests map onto the lifecycle:
 * discovery endpoints (and scimkit's `/openapi.json`); POST /Users (joiner); PATCH/PUT of a User (mover, or leaver when it
 * turns `active` off); GET of Users (reconciliation); DELETE of a User (hard delete); Group
 * writes (group push, or group join when they touch `members`).
 * @see https://www.rfc-editor.org/rfc/rfc7642#section-3
 */
export function storyStepOf(input: StoryStepInput): StoryStep {
  const [first = '', second] = input.segments;
  const resource = first.toLowerCase();
  const method = input.method.toUpperCase();
  if (DISCOVERY.has(resource)) return 'Discovery';
  const search = second?.toLowerCase() === '.search';
  if (resource === 'users') {
    if (method === 'GET' || search) return 'Reconciliation';
    if (method === 'POST') return 'Joiner';
    if (method === 'DELETE') return 'Hard delete';
    if (method === 'PATCH' || method === 'PUT') {
      return input.deactivated || setsInactive(input.requestBody) ? 'Leaver' : 'Mover';
    }
  }
  if (resource === 'groups') {
    if (method === 'GET' || search) return 'Reconciliation';
    if (method === 'PATCH' && /"members"|"path"\s*:\s*"members/i.test(input.requestBody)) return 'Group join';
    if (method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE')
      return 'Group push';
  }
  return 'Other';
}
