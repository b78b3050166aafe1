/**
 * The resource operations HTTP and bulk share: create, get, replace, patch and delete one
 * resource (RFC 7644 sections 3.3 to 3.6), with their ETags, write-only handling and events.
 */
import { type AttributeDelta, applyPatch } from '@scimkit/patch';
import { deepEqual } from '@scimkit/patch/internal';
import {
  PATCH_OP_SCHEMA,
  type ScimResource,
  safeValidateResource,
  type ValidateResourceOptions,
} from '@scimkit/schema';
import { nextVersion, validatePatchedResource } from '@scimkit/schema/internal';
import { checkIfMatch, etagMatches, lockKey, retrying, withLock } from './concurrency.js';
import { type Call, reportError } from './context.js';
import { type ScimResult, scimError } from './internal/http.js';
import { withIdentity } from './internal/identity.js';
import type { TypeInfo } from './internal/type-info.js';
import { expectVerified } from './internal/verified.js';
import { answersNoContent, patchMemberSlice } from './member-patch.js';
import type { ScimEventHook, ScimIgnoredAttributesEvent } from './options.js';
import { locationOf, present, resourceHeaders, viewOf } from './presentation.js';
import { type Projection, storeProjection } from './query.js';
import type { StoreGroupRef } from './store.js';
import { holdsHidden, keepWriteOnly, protectWriteOnly, withoutHidden } from './write-only.js';

/** The resource a read or write addresses, its precondition, and the response's projection. */
export interface ResourceTarget {
  info: TypeInfo;
  id: string;
  /** The `If-Match` header (or a bulk operation's `version`). */
  ifMatch?: string | undefined;
  projection: Projection;
}

/** Calls an event hook after the change is stored (after the commit, inside an atomic bulk). */
async function emit<E extends { request: Request }>(
  call: Call,
  hook: ((event: E) => void | Promise<void>) | undefined,
  event: E,
): Promise<void> {
  if (!hook) return;
  if (call.deferred) {
    const { deferred: _deferred, ...committed } = call;
    call.deferred.push(() => emit(committed, hook, event));
    return;
  }
  try {
    await hook(event);
  } catch (error) {
    reportError(call.server, error, event.request);
  }
}

/**
 * `validateResource`, adding the paths of the unknown attributes it dropped to `ignored`. With
 * a `baseline` (a PATCH of a resource known valid, see internal/verified.ts), the values the
 * outcome shares with it are not checked again: same result, warnings and errors.
 */
function validate(
  body: unknown,
  options: ValidateResourceOptions,
  ignored: string[],
  baseline?: ScimResource,
): Record<string, unknown> {
  const result = baseline
    ? validatePatchedResource(body, options, baseline)
    : safeValidateResource(body, options);
  if (!result.success) throw result.error;
  for (const warning of result.warnings) if (warning.code === 'unknownAttribute') ignored.push(warning.path);
  return result.data;
}

/** Tells `onIgnoredAttributes` what a successful write dropped, if anything. */
async function reportIgnored(
  call: Call,
  target: Pick<ScimIgnoredAttributesEvent, 'resourceType' | 'id' | 'operation'>,
  paths: string[],
): Promise<void> {
  const hook = call.server.options.onIgnoredAttributes;
  if (!hook || paths.length === 0) return;
  await emit(call, hook, { ...target, paths, principal: call.principal, request: call.request.request() });
}

/** Reads one resource (404 when absent), passing the projection on to the store as a hint. */
async function load(call: Call, info: TypeInfo, id: string, projection?: Projection): Promise<ScimResource> {
  const { context } = call;
  const resource = await call.server.store.get(
    info.definition,
    id,
    projection ? { context, projection: storeProjection(projection) } : { context },
  );
  if (!resource) throw notFound(info, id);
  return resource;
}

/** 404 Not Found for a resource id. */
function notFound(info: TypeInfo, id: string) {
  return scimError(404, `${info.name} ${id} not found.`);
}

/**
 * {@link load} for a GET: with the resource's `User.groups` in the same store read when the
 * response shows them and the store offers `getWithGroups` (one round trip to a database).
 */
async function loadWithGroups(
  call: Call,
  info: TypeInfo,
  id: string,
  projection: Projection,
): Promise<{ resource: ScimResource; groups?: ReadonlyMap<string, StoreGroupRef[]> }> {
  const { store } = call.server;
  if (!store.getWithGroups || !viewOf(info, projection).showsGroups) {
    return { resource: await load(call, info, id, projection) };
  }
  const found = await store.getWithGroups(info.definition, id, {
    context: call.context,
    projection: storeProjection(projection),
  });
  if (!found) throw notFound(info, id);
  return { resource: found.resource, groups: new Map([[found.resource.id, found.groups]]) };
}

let nowMs = Number.NaN;
let nowText = '';

/**
 * The current time as an xsd:dateTime (`toISOString`), formatted once per millisecond: several
 * writes share a millisecond under load, and formatting costs more than the rest of `meta`.
 */
function now(): string {
  const ms = Date.now();
  if (ms !== nowMs) {
    nowMs = ms;
    nowText = new Date(ms).toISOString();
  }
  return nowText;
}

/**
 * The `meta` a new resource is stored with. No `location`: a URL made from one request's Host
 * must never reach other readers, so `present` computes it for each response.
 */
function buildMeta(info: TypeInfo): ScimResource['meta'] {
  const time = now();
  return {
    resourceType: info.name,
    created: time,
    lastModified: time,
    version: 'W/"1"',
  } as ScimResource['meta'];
}

/** The keys of the `meta` this server stores (see {@link buildMeta}). */
function isPlainMeta(meta: ScimResource['meta']): boolean {
  const keys = Object.keys(meta);
  return (
    keys.length === 4 &&
    keys[0] === 'resourceType' &&
    keys[1] === 'created' &&
    keys[2] === 'lastModified' &&
    keys[3] === 'version'
  );
}

/** The stored `meta` with a new version, without any `location` an older version stored. */
function nextMeta(current: ScimResource['meta']): ScimResource['meta'] {
  // The meta this server wrote, as a literal: the rest-and-spread copy below runs in V8's
  // runtime (a few thousand instructions) on every write.
  if (isPlainMeta(current)) {
    return {
      resourceType: current.resourceType,
      created: current.created,
      lastModified: now(),
      version: nextVersion(current.version),
    } as ScimResource['meta'];
  }
  const { location: _location, ...meta } = current;
  return {
    ...meta,
    lastModified: now(),
    version: nextVersion(current.version),
  } as ScimResource['meta'];
}

function deactivated(info: TypeInfo, before: ScimResource, after: ScimResource): boolean {
  return info.hasActive && before.active !== false && after.active === false;
}

/**
 * POST: validates the body, assigns `id` and `meta`, stores the resource (201 + `Location`).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
export async function createResource(
  call: Call,
  info: TypeInfo,
  body: Record<string, unknown>,
  projection: Projection,
): Promise<ScimResult> {
  const { server } = call;
  const ignored: string[] = [];
  const validated = validate(
    body,
    { resourceType: info.definition, context: 'create', ...server.validation },
    ignored,
  );
  const data = await protectWriteOnly(call, info, validated, undefined);
  const id = crypto.randomUUID();
  const resource = withIdentity(data, id, buildMeta(info));
  // Exactly the validation's output (no writeOnly value rewritten by protectWriteOnly).
  if (data === validated) expectVerified(resource, server.verified);
  const stored = await server.store.create(info.definition, resource, { context: call.context });
  const { onCreated } = server.options;
  // The event (and the Web Request it carries) is only built for a configured hook.
  if (onCreated)
    await emit(call, onCreated, {
      resourceType: info.name,
      id,
      resource: stored,
      principal: call.principal,
      request: call.request.request(),
    });
  await reportIgnored(call, { resourceType: info.name, id, operation: 'create' }, ignored);
  return {
    status: 201,
    body: await present(call, info, stored, projection, undefined, false),
    headers: resourceHeaders(stored, locationOf(call, info, id)),
  };
}

/**
 * GET one resource; 304 when `If-None-Match` names its version.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1
 */
export async function getResource(
  call: Call,
  target: Omit<ResourceTarget, 'ifMatch'>,
  ifNoneMatch: string | undefined,
): Promise<ScimResult> {
  const { info, id, projection } = target;
  const { resource, groups } = await loadWithGroups(call, info, id, projection);
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, resource.meta.version)) {
    return { status: 304, headers: resourceHeaders(resource) };
  }
  return {
    status: 200,
    body: await present(call, info, resource, projection, groups),
    headers: resourceHeaders(resource),
  };
}

/**
 * The new attributes of a read-modify-write, or undefined when nothing changes; `verified`
 * when they are exactly a validation's output (see internal/verified.ts).
 */
type Change = (
  current: ScimResource,
) => { data: Record<string, unknown>; deltas?: AttributeDelta[]; verified: boolean } | undefined;

/**
 * Read-modify-write of one resource: `change` computes the new attributes from the current
 * resource (or undefined when nothing changes, which keeps the version); the store checks the
 * version read, and a lost race is retried when the client sent no If-Match.
 */
async function modifyResource(
  call: Call,
  target: ResourceTarget,
  hook: ScimEventHook | undefined,
  change: Change,
): Promise<ScimResult> {
  const { server } = call;
  const { info, id, ifMatch, projection } = target;
  const [previous, stored, changed] = await withLock(call, lockKey(call, info, id), () =>
    retrying(call, ifMatch, async () => {
      const current = await load(call, info, id);
      checkIfMatch(current, ifMatch);
      const outcome = change(current);
      if (!outcome) return [current, current, false] as const;
      const data = await protectWriteOnly(call, info, outcome.data, current);
      const next = withIdentity(data, id, nextMeta(current.meta));
      if (outcome.verified && data === outcome.data) expectVerified(next, server.verified);
      const replaceOptions = {
        context: call.context,
        expectedVersion: current.meta.version,
        ...(outcome.deltas ? { deltas: outcome.deltas } : {}),
      };
      return [current, await server.store.replace(info.definition, next, replaceOptions), true] as const;
    }),
  );
  const { onDeactivated } = server.options;
  if (changed && (hook || (onDeactivated && deactivated(info, previous, stored)))) {
    const event = {
      resourceType: info.name,
      id,
      resource: stored,
      previous,
      principal: call.principal,
      request: call.request.request(),
    };
    await emit(call, hook, event);
    if (deactivated(info, previous, stored)) await emit(call, onDeactivated, event);
  }
  return {
    status: 200,
    // Unchanged, the answer is a read of the stored resource, and may come from the cache.
    body: await present(call, info, stored, projection, undefined, !changed),
    headers: resourceHeaders(stored),
  };
}

/**
 * PUT: replaces the resource's attributes (readOnly ones ignored, immutable ones checked,
 * stored writeOnly ones kept); a PUT of what is stored keeps the version.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1
 */
export async function replaceResource(
  call: Call,
  target: ResourceTarget,
  body: Record<string, unknown>,
): Promise<ScimResult> {
  const { server } = call;
  const { info, id } = target;
  if (!server.compat.ignoreBodyId && body.id !== undefined && body.id !== id) {
    throw scimError(400, `The body's id "${String(body.id)}" does not match the URL's ${id}.`, 'mutability');
  }
  let ignored: string[] = [];
  const result = await modifyResource(call, target, server.options.onReplaced, (current) => {
    ignored = [];
    const options = {
      resourceType: info.definition,
      context: 'replace',
      existing: current,
      ...server.validation,
    } as const;
    const validated = validate(body, options, ignored);
    const data = keepWriteOnly(info, validated, current);
    const { id: _id, meta: _meta, ...currentAttributes } = current;
    // A PUT of what is already stored keeps the version, unless it writes a value no response
    // shows (a password): the unchanged ETag would confirm a guess.
    if (deepEqual(currentAttributes, data) && !holdsHidden(info, validated)) return undefined;
    // Immutable values a replace leaves out are copied from the stored resource, and kept
    // writeOnly ones too: known valid only when that resource is.
    return { data, verified: data === validated && server.verified.has(current) };
  });
  await reportIgnored(call, { resourceType: info.name, id, operation: 'replace' }, ignored);
  return result;
}

/**
 * PATCH: applies the PatchOp with `@scimkit/patch`, then validates the outcome as a whole;
 * a PATCH that changes nothing keeps the version.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export async function patchResource(
  call: Call,
  target: ResourceTarget,
  body: Record<string, unknown>,
): Promise<ScimResult> {
  const { server } = call;
  const { info } = target;
  if (!server.compat.missingMessageSchemas) {
    const schemas = body.schemas;
    if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) {
      throw scimError(400, `A PATCH body must list "${PATCH_OP_SCHEMA}" in "schemas".`, 'invalidSyntax');
    }
  }
  const patchOptions = {
    resourceType: info.definition,
    strict: server.strict,
    compat: server.compat.patch,
  };
  const apply = (resource: ScimResource) => applyPatch(resource, body as never, patchOptions);
  // Adding or removing members needs only the members named (a 100k-member group).
  const sliced = await patchMemberSlice(call, target, body, {
    apply,
    validate: (patched, existing, dropped) =>
      validate(
        patched,
        { resourceType: info.definition, context: 'patch', existing, ...server.validation },
        dropped,
      ),
    nextMeta,
  });
  if (sliced) {
    await reportIgnored(call, { resourceType: info.name, id: target.id, operation: 'patch' }, sliced.ignored);
    return sliced.result;
  }
  let ignored: string[] = [];
  const response = await modifyResource(call, target, server.options.onPatched, (current) => {
    const result = apply(current);
    ignored = result.warnings.map((warning) => warning.path);
    if (!result.changed && !writesHidden(current, body, patchOptions, info)) return undefined;
    // Check the outcome as a whole (required attributes, single primary, immutables).
    const options = {
      resourceType: info.definition,
      context: 'patch',
      existing: current,
      ...server.validation,
    } as const;
    // A resource this server validated and stored as it is: only what the patch changed is
    // checked again (the rules of the resource as a whole still are).
    const baseline = server.verified.has(current) ? current : undefined;
    const data = validate(result.resource, options, ignored, baseline);
    // A rewrite of hidden values alone has no delta: the store replaces the whole resource.
    return result.changed ? { data, deltas: result.deltas, verified: true } : { data, verified: true };
  });
  await reportIgnored(call, { resourceType: info.name, id: target.id, operation: 'patch' }, ignored);
  // The same answer as the slice path gives, whichever path ran.
  if (answersNoContent(call, body, target.projection))
    return { status: 204, ...(response.headers ? { headers: response.headers } : {}) };
  return response;
}

/**
 * Whether a PATCH that changes nothing visible writes a value no response shows (a password
 * set to what is stored): applied to the resource without those values, it changes something.
 * Such a write counts as a change, so the ETag never confirms a guessed password.
 */
function writesHidden(
  current: ScimResource,
  body: Record<string, unknown>,
  options: Parameters<typeof applyPatch>[2],
  info: TypeInfo,
): boolean {
  const visible = withoutHidden(info, current);
  if (visible === current) return false;
  try {
    return applyPatch(visible, body as never, options).changed;
  } catch {
    return true;
  }
}

/**
 * DELETE (204).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.6
 */
export async function deleteResource(
  call: Call,
  target: Omit<ResourceTarget, 'projection'>,
): Promise<ScimResult> {
  const { server } = call;
  const { info, id, ifMatch } = target;
  // A write elsewhere can bump the version between load and delete (deleting a User bumps
  // every Group listing it): without If-Match that lost race is retried, as for PUT and PATCH.
  const previous = await withLock(call, lockKey(call, info, id), () =>
    retrying(call, ifMatch, async () => {
      const current = await load(call, info, id);
      checkIfMatch(current, ifMatch);
      const deleted = await server.store.delete(info.definition, id, {
        context: call.context,
        expectedVersion: current.meta.version,
      });
      if (!deleted) throw notFound(info, id);
      return current;
    }),
  );
  const { onDeleted } = server.options;
  if (onDeleted)
    await emit(call, onDeleted, {
      resourceType: info.name,
      id,
      previous,
      principal: call.principal,
      request: call.request.request(),
    });
  return { status: 204 };
}
