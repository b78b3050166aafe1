/**
 * PATCHes that only add or remove Group members, applied to a member slice: the store reads
 * the resource with only the members the operations name ({@link ScimStore.getMemberSlice})
 * and writes the member deltas ({@link ScimStore.replaceMemberSlice}), so adding one member to
 * a 100k-member group reads and writes a few rows. The operations run through the same
 * `applyPatch` and validation as on the whole resource: on the members they name they act
 * exactly as on the whole list (members are identified by `value`), and what the slice cannot
 * decide exactly (a remove of every member, a filter other than `value eq`, a replace) takes
 * the full path.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
import type { AttributeDelta, PatchResult } from '@scimkit/patch';
import type { AttributeDefinition, ScimResource } from '@scimkit/schema';
import { projectionShows } from '@scimkit/schema/internal';
import { checkIfMatch, lockKey, retrying, withLock } from './concurrency.js';
import type { Call } from './context.js';
import { type ScimResult, scimError } from './internal/http.js';
import { withIdentity } from './internal/identity.js';
import type { TypeInfo } from './internal/type-info.js';
import { present, resourceHeaders } from './presentation.js';
import type { Projection } from './query.js';
import { protectWriteOnly } from './write-only.js';

/** Most member values one PATCH may name on the slice path (beyond, the full path runs). */
const MAX_SLICE_VALUES = 10_000;

/** The group a PATCH addresses (the `ResourceTarget` of the full path). */
export interface MemberPatchTarget {
  info: TypeInfo;
  id: string;
  /** The `If-Match` header (or a bulk operation's `version`). */
  ifMatch?: string | undefined;
  projection: Projection;
}

/** The steps of a write the full PATCH path owns, used here unchanged. */
export interface MemberPatchSteps {
  /** Applies the request's operations to a resource, with the server's PATCH options. */
  apply(resource: ScimResource): PatchResult;
  /** Validates the patched resource as a whole, adding dropped attribute paths to `ignored`. */
  validate(body: unknown, existing: ScimResource, ignored: string[]): Record<string, unknown>;
  /** The `meta` of the next version. */
  nextMeta(current: ScimResource['meta']): ScimResource['meta'];
}

/** What the slice path answered, with the attribute paths the PATCH dropped. */
export interface MemberPatchOutcome {
  result: ScimResult;
  ignored: string[];
}

const MEMBERS_PATH = /^members$/i;
/** `members[value eq "…"]`, the value a JSON string literal (RFC 7644 section 3.4.2.2). */
const MEMBER_FILTER_PATH = /^members\s*\[\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*\]$/i;
const OPERATION_KEYS = new Set(['op', 'path', 'value']);

/** The `value` of a member as a PATCH gives it (an object with a string `value`, or the id alone). */
function memberValue(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  let found: string | undefined;
  for (const [key, value] of Object.entries(item)) {
    if (key.toLowerCase() !== 'value') continue;
    // `Value` or a second spelling: the patch engine's reading decides, not this one.
    if (key !== 'value' || typeof value !== 'string') return undefined;
    found = value;
  }
  return found;
}

/** The member values of an operation's value list, or undefined when one has no value. */
function listedValues(value: unknown, into: string[]): boolean {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return false;
  for (const item of items) {
    const member = memberValue(item);
    if (member === undefined) return false;
    into.push(member);
  }
  return true;
}

/**
 * The member values a PatchOp names, when each of its operations is one the slice path
 * applies exactly: `add` with path `members` and a list of members with values, `remove` with
 * path `members[value eq "…"]`, or `remove` with path `members` and such a list (Entra ID).
 * Undefined for anything else (the full path then runs). Malformed operations of these shapes
 * get here too: `applyPatch` rejects them on the slice as it would on the whole resource.
 */
export function memberValuesOf(body: Record<string, unknown>): string[] | undefined {
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) return undefined;
  const values: string[] = [];
  for (const operation of operations) {
    if (typeof operation !== 'object' || operation === null) return undefined;
    for (const key of Object.keys(operation)) if (!OPERATION_KEYS.has(key)) return undefined;
    const { op, path, value } = operation as Record<string, unknown>;
    if (typeof op !== 'string' || typeof path !== 'string') return undefined;
    const kind = op.toLowerCase();
    if (MEMBERS_PATH.test(path)) {
      if (kind !== 'add' && kind !== 'remove') return undefined;
      // A remove without a value list removes every member: the full path.
      if (value === undefined || value === null || !listedValues(value, values)) return undefined;
      continue;
    }
    const filter = MEMBER_FILTER_PATH.exec(path);
    if (kind !== 'remove' || !filter || value !== undefined) return undefined;
    try {
      values.push(JSON.parse(filter[1]!) as string);
    } catch {
      return undefined;
    }
  }
  return values.length <= MAX_SLICE_VALUES ? values : undefined;
}

/** Whether members or one of their sub-attributes is required or hidden from responses. */
function membersAreSpecial(members: AttributeDefinition | undefined): boolean {
  if (!members) return true;
  const special = (attribute: AttributeDefinition) =>
    attribute.required === true || attribute.mutability === 'writeOnly' || attribute.returned === 'never';
  return special(members) || (members.subAttributes ?? []).some(special);
}

/**
 * Whether a store can write these deltas as a slice: members only, no wholesale replace, and
 * no value both removed and added (whose row would move within the list the slice does not see).
 */
function sliceDeltas(deltas: readonly AttributeDelta[], members: string): boolean {
  for (const delta of deltas) {
    if (delta.attribute !== members || delta.replaced) return false;
    const removed = new Set<string>();
    for (const item of delta.removed) {
      const value = memberValue(item);
      if (value !== undefined) removed.add(value.toLowerCase());
    }
    for (const item of delta.added) {
      const value = memberValue(item);
      if (value === undefined || removed.has(value.toLowerCase())) return false;
    }
  }
  return true;
}

const FULL_PATH = Symbol('full path');

/**
 * Whether this PATCH is answered 204 No Content (`memberPatchResponse: 'noContent'`): it only
 * adds or removes members, and the request asks for no projection.
 */
export function answersNoContent(call: Call, body: Record<string, unknown>, projection: Projection): boolean {
  return (
    call.server.options.memberPatchResponse === 'noContent' &&
    projection.attributes === undefined &&
    projection.excludedAttributes === undefined &&
    memberValuesOf(body) !== undefined
  );
}

/**
 * PATCH of a Group's members on a member slice, or undefined when the full path must run: the
 * store offers no slice methods, the response shows `members` (it needs them all), an
 * `onPatched` hook is set (it gets the whole resource before and after), or an operation is
 * not one {@link memberValuesOf} accepts. Answers as the full path does: 200 with the resource
 * under the request's projection (or 204, see {@link answersNoContent}), the version kept when
 * nothing changes, If-Match and 412.
 */
export async function patchMemberSlice(
  call: Call,
  target: MemberPatchTarget,
  body: Record<string, unknown>,
  steps: MemberPatchSteps,
): Promise<MemberPatchOutcome | undefined> {
  const { server } = call;
  const { store } = server;
  const { info, id, ifMatch, projection } = target;
  if (!store.getMemberSlice || !store.replaceMemberSlice || !info.hasMembers || server.options.onPatched)
    return undefined;
  const members = info.definition.schema.attributes.find((attribute) => attribute.name === 'members');
  const noContent = answersNoContent(call, body, projection);
  if (membersAreSpecial(members) || (!noContent && projectionShows(info.definition, 'members', projection)))
    return undefined;
  const values = memberValuesOf(body);
  if (!values) return undefined;
  const getSlice = store.getMemberSlice.bind(store);
  const replaceSlice = store.replaceMemberSlice.bind(store);
  let ignored: string[] = [];
  const outcome = await withLock(call, lockKey(call, info, id), () =>
    retrying(call, ifMatch, async () => {
      ignored = [];
      const slice = await getSlice(info.definition, id, { context: call.context, values });
      if (!slice) throw scimError(404, `${info.name} ${id} not found.`);
      const current = slice.resource;
      checkIfMatch(current, ifMatch);
      const result = steps.apply(current);
      ignored = result.warnings.map((warning) => warning.path);
      if (!result.changed) return current;
      if (!sliceDeltas(result.deltas, 'members')) return FULL_PATH;
      // The slice emptied while other members remain: the attribute stays (an empty slice).
      const keepMembers = (resource: Record<string, unknown>) =>
        slice.otherMembers && !Object.hasOwn(resource, 'members') ? { ...resource, members: [] } : resource;
      const validated = keepMembers(steps.validate(keepMembers(result.resource), current, ignored));
      const data = await protectWriteOnly(call, info, validated, current);
      const next = withIdentity(data, id, steps.nextMeta(current.meta));
      return replaceSlice(info.definition, next, {
        context: call.context,
        expectedVersion: current.meta.version,
        deltas: result.deltas,
      });
    }),
  );
  if (outcome === FULL_PATH) return undefined;
  return {
    result: noContent
      ? { status: 204, headers: resourceHeaders(outcome) }
      : {
          status: 200,
          body: await present(call, info, outcome, projection),
          headers: resourceHeaders(outcome),
        },
    ignored,
  };
}
