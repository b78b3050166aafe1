/**
 * Running the operations of a PATCH: the path (or, path-less, each key of the value) resolved to
 * its targets, each handed to the single-valued or multi-valued rules. RFC 7644 section 3.5.2.
 */
import type { PatchOperationType } from '@scimkit/schema';
import { applyMultiValued } from './multi-valued.js';
import type { Step } from './request.js';
import { type AttributeTarget, attributeTargets, resolvePath, resolveValueKey } from './resolve.js';
import { attributeLabel, type SchemaEntry } from './schema-index.js';
import type { Session } from './session.js';
import { applySingleValued } from './single-valued.js';
import { isObject, ownValues, readKey } from './values.js';

/** Applies one operation of the request. */
export function runStep(session: Session, step: Step): void {
  session.step = step;
  if (step.path === undefined) {
    pathless(session, session.index.core, step.value, true);
    return;
  }
  const target = resolvePath(session, step.path);
  if (!target.attribute) {
    wholeExtension(session, target.entry, step.value);
    return;
  }
  applyTo(session, target as AttributeTarget, step.op, step.value);
}

/**
 * add/replace without a path (or with an extension URN path): an object of attributes. With
 * `allowNested` (the top level), keys may also be extension URNs and URN-qualified paths.
 */
function pathless(session: Session, entry: SchemaEntry, value: unknown, allowNested: boolean): void {
  const op = session.step.op;
  if (!isObject(value)) {
    session.fail('invalidValue', `a ${op} without a path needs an object of attributes as its value`);
  }
  const keys = Object.keys(value);
  const items = ownValues(value, keys);
  const targets = attributeTargets(entry, keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = items[i];
    if (item === undefined) continue;
    const direct = targets[i];
    if (direct !== undefined) {
      applyTo(session, direct, op, item);
      continue;
    }
    const lower = key.toLowerCase();
    // `schemas` lists URNs, it is no attribute; scim2-client also sends it inside extension values.
    if (lower === 'schemas' && (entry.core || session.options.compat.schemasInExtension)) continue;
    const named = allowNested ? session.index.schemas.get(lower) : undefined;
    if (named) {
      if (!named.core) extensionValue(session, named, item);
      else pathless(session, named, item, false);
      continue;
    }
    const target = resolveValueKey(session, entry, key, allowNested);
    if (target) applyTo(session, target, op, item);
  }
}

/** An extension object given in a path-less value (`{"urn:…:User": {…}}`). */
function extensionValue(session: Session, entry: SchemaEntry, value: unknown): void {
  if (value === null) {
    removeExtension(session, entry);
    return;
  }
  pathless(session, entry, value, false);
}

/** add/replace/remove with the extension URN alone as the path. */
function wholeExtension(session: Session, entry: SchemaEntry, value: unknown): void {
  if (session.step.op === 'remove') {
    removeExtension(session, entry);
    return;
  }
  extensionValue(session, entry, value);
}

/** Removes every attribute of an extension (each under its mutability rules), then the extension. */
function removeExtension(session: Session, entry: SchemaEntry): void {
  const holder = session.holder(entry);
  if (!holder) return;
  for (const attribute of entry.schema.attributes) {
    if (readKey(holder, attribute.name) === undefined) continue;
    applyTo(session, { entry, attribute, filtered: false }, 'remove', undefined);
  }
  const copy = session.writableHolder(entry);
  for (const key of Object.keys(copy)) delete copy[key];
}

/** One operation on one attribute. */
function applyTo(session: Session, target: AttributeTarget, op: PatchOperationType, value: unknown): void {
  const { entry, attribute } = target;
  const label = target.label ?? attributeLabel(entry, attribute);
  if (attribute.multiValued) applyMultiValued(session, target, op, value, label);
  else applySingleValued(session, target, op, value, label);
}
