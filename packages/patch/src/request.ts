/**
 * Reading a PATCH request: the PatchOp envelope (or a bare operations array) into validated
 * steps, before any path is resolved or value touched.
 */
import { PATCH_OP_SCHEMA, type PatchOperationType, ScimError, type ScimErrorType } from '@scimkit/schema';
import type { ResolvedOptions } from './options.js';
import { findKey, isObject } from './values.js';

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
  const steps: Step[] = [];
  for (let position = 0; position < operations.length; position++) {
    const operation: unknown = operations[position];
    if (!isObject(operation)) {
      throw requestError(
        `Operations[${position}]: must be an object with "op", "path" and "value"`,
        'invalidSyntax',
      );
    }
    const opKey = options.compat.capitalisedOps ? findKey(operation, 'op') : 'op';
    const rawOp = opKey !== undefined && Object.hasOwn(operation, opKey) ? operation[opKey] : undefined;
    let op: PatchOperationType | undefined;
    if (typeof rawOp === 'string') {
      const name = options.compat.capitalisedOps ? rawOp.toLowerCase() : rawOp;
      if (name === 'add' || name === 'replace' || name === 'remove') op = name;
    }
    if (!op) {
      throw requestError(
        `Operations[${position}]: "op" must be "add", "replace" or "remove", found ${JSON.stringify(rawOp) ?? 'nothing'}`,
        'invalidSyntax',
      );
    }
    const pathKey = options.compat.capitalisedOps ? findKey(operation, 'path') : 'path';
    const rawPath =
      pathKey !== undefined && Object.hasOwn(operation, pathKey) ? operation[pathKey] : undefined;
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
      throw requestError(`Operations[${position}] (${op}): "path" must be a string`, 'invalidPath');
    }
    const trimmed = typeof rawPath === 'string' ? rawPath.trim() : '';
    const path = trimmed !== '' ? trimmed : undefined;
    const valueKey = options.compat.capitalisedOps ? findKey(operation, 'value') : 'value';
    const value =
      valueKey !== undefined && Object.hasOwn(operation, valueKey) ? operation[valueKey] : undefined;
    const step: Step = { position, op, path, value };
    if (op !== 'remove' && value === undefined) {
      throw requestError(`${describeStep(step)}: "value" is required`, 'invalidSyntax');
    }
    if (op === 'remove' && path === undefined) {
      throw requestError(`${describeStep(step)}: remove needs a "path"`, 'noTarget');
    }
    steps.push(step);
  }
  return steps;
}
