/**
 * Reading a PATCH request: the PatchOp envelope (or a bare operations array) into validated
 * steps, before any path is resolved or value touched.
 */
import { PATCH_OP_SCHEMA, type PatchOperationType, ScimError, type ScimErrorType } from '@scimkit/schema';
import type { ResolvedOptions } from './options.js';
import { findKey, findOtherKey, isObject, type JsonObject } from './values.js';

/** One operation after validation of its envelope. */
export interface Step {
  /** Its index in `Operations`, for error details. */
  position: number;
  op: PatchOperationType;
  /** The trimmed path; undefined for a path-less add or replace. */
  path: string | undefined;
  value: unknown;
}

/** Builds the detail prefix `Operations[2] (replace "emails[…].value")`. */
export function describeStep(step: Step): string {
  return `Operations[${step.position}] (${step.op}${step.path === undefined ? '' : ` ${JSON.stringify(step.path)}`})`;
}

/** A 400 error of the request. */
export function requestError(detail: string, scimType: ScimErrorType): ScimError {
  return new ScimError(detail, { status: 400, scimType });
}

/** Validates the envelope and the operations' shapes. */
export function readSteps(request: unknown, options: ResolvedOptions): Step[] {
  let operations: unknown;
  if (Array.isArray(request)) {
    if (options.strict) {
      throw requestError(
        `The request must be a PatchOp body with "schemas": ["${PATCH_OP_SCHEMA}"] in strict mode`,
        'invalidSyntax',
      );
    }
    operations = request;
  } else if (isObject(request)) {
    const schemas = request.schemas;
    if (options.strict) {
      const listed =
        Array.isArray(schemas) &&
        schemas.some(
          (schema) => typeof schema === 'string' && schema.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase(),
        );
      if (!listed) throw requestError(`"schemas" must list "${PATCH_OP_SCHEMA}"`, 'invalidSyntax');
    }
    const key = options.compat.operationsKeyCase ? findKey(request, 'Operations') : 'Operations';
    operations = key !== undefined && Object.hasOwn(request, key) ? request[key] : undefined;
  } else {
    throw requestError(
      'The request must be a PatchOp body ({"schemas": [...], "Operations": [...]})',
      'invalidSyntax',
    );
  }
  if (!Array.isArray(operations))
    throw requestError('"Operations" must be an array of operations', 'invalidSyntax');
  if (operations.length > options.maxOperations) {
    throw requestError(
      `Too many operations: ${operations.length}, at most ${options.maxOperations} are accepted`,
      'invalidValue',
    );
  }
  // Sized up front: pushing onto `[]` allocates room for 17 at the first operation.
  const steps = new Array<Step>(operations.length);
  for (let position = 0; position < operations.length; position++) {
    const operation: unknown = operations[position];
    if (!isObject(operation)) {
      throw requestError(
        `Operations[${position}]: must be an object with "op", "path" and "value"`,
        'invalidSyntax',
      );
    }
    const anyCase = options.compat.capitalisedOps;
    const fields = operationFields(operation, anyCase);
    const rawOp = fields.op;
    let op: PatchOperationType | undefined;
    if (rawOp === 'add' || rawOp === 'replace' || rawOp === 'remove') op = rawOp;
    else if (typeof rawOp === 'string' && anyCase) {
      const name = rawOp.toLowerCase();
      if (name === 'add' || name === 'replace' || name === 'remove') op = name;
    }
    if (!op) {
      throw requestError(
        `Operations[${position}]: "op" must be "add", "replace" or "remove", found ${JSON.stringify(rawOp) ?? 'nothing'}`,
        'invalidSyntax',
      );
    }
    const rawPath = fields.path;
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
      throw requestError(`Operations[${position}] (${op}): "path" must be a string`, 'invalidPath');
    }
    const trimmed = typeof rawPath === 'string' ? trimmedPath(rawPath) : '';
    const path = trimmed !== '' ? trimmed : undefined;
    const value = fields.value;
    const step: Step = { position, op, path, value };
    if (op !== 'remove' && value === undefined) {
      throw requestError(`${describeStep(step)}: "value" is required`, 'invalidSyntax');
    }
    if (op === 'remove' && path === undefined) {
      throw requestError(`${describeStep(step)}: remove needs a "path"`, 'noTarget');
    }
    steps[position] = step;
  }
  return steps;
}

/** The fields of an operation, each `undefined` when it has none. */
interface OperationFields {
  op: unknown;
  path: unknown;
  value: unknown;
}

/**
 * The own `op`, `path` and `value` of an operation; with `anyCase`, a field it lacks in the usual
 * spelling is taken from a key in another casing (`Op`, `Path`). One pass over its keys finds the
 * usual spellings: an `Object.hasOwn` per field is a megamorphic lookup each (~100 instructions).
 */
function operationFields(operation: JsonObject, anyCase: boolean): OperationFields {
  const keys = Object.keys(operation);
  const fields: OperationFields = { op: undefined, path: undefined, value: undefined };
  let hasOp = false;
  let hasPath = false;
  let hasValue = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'op') {
      fields.op = operation.op;
      hasOp = true;
    } else if (key === 'path') {
      fields.path = operation.path;
      hasPath = true;
    } else if (key === 'value') {
      fields.value = operation.value;
      hasValue = true;
    }
  }
  // Keys in other casings can only be among the keys that are none of the usual ones.
  const others = anyCase && keys.length > Number(hasOp) + Number(hasPath) + Number(hasValue);
  if (!hasOp) fields.op = missingField(operation, 'op', others);
  if (!hasPath) fields.path = missingField(operation, 'path', others);
  if (!hasValue) fields.value = missingField(operation, 'value', others);
  return fields;
}

/**
 * A field that is no enumerable key of the operation: an own one all the same (not enumerable:
 * never parsed JSON), else with `otherCasings` the value of a key naming it in another casing.
 */
function missingField(operation: JsonObject, name: string, otherCasings: boolean): unknown {
  if (Object.hasOwn(operation, name)) return operation[name];
  if (!otherCasings) return undefined;
  const key = findOtherKey(operation, name);
  return key === undefined ? undefined : operation[key];
}

/** `path.trim()`, without the call when both ends are visible ASCII (as paths usually are). */
function trimmedPath(path: string): string {
  const last = path.length - 1;
  if (last >= 0 && isVisibleAscii(path.charCodeAt(0)) && isVisibleAscii(path.charCodeAt(last))) return path;
  return path.trim();
}

function isVisibleAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}
