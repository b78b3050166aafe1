/**
 * What validation reports: the options, the issues and warnings, the uniqueness hints a server
 * checks, and {@link ScimValidationError}.
 */
import type { AttributeDefinition, ResourceTypeDefinition, Uniqueness } from './definition.js';
import { ScimError, type ScimErrorType } from './errors.js';

/**
 * What a resource is being validated for; it decides how read-only, immutable and required
 * attributes are treated.
 *
 * - `create` (POST) and `replace` (PUT): read-only input (`id`, `meta`, `groups`, …) is ignored
 *   and dropped; on `replace`, immutable values must match `existing`.
 * - `patch`: the resource a PATCH produced; read-only attributes are kept, immutable values
 *   must match `existing`.
 * - `response`: a resource as a service provider returns it; everything is kept and checked.
 */
export type ValidationContext = 'create' | 'replace' | 'patch' | 'response';

/** One problem found by {@link validateResource}. */
export interface ValidationIssue {
  /** Where: `userName`, `emails[1].value`, `urn:…:enterprise:2.0:User:manager.value`. */
  path: string;
  /** The `scimType` the server answers with for this problem. */
  scimType: ScimErrorType;
  /** What is wrong, for a person. */
  message: string;
}

/** The kinds of {@link ValidationWarning}. */
export type ValidationWarningCode = 'unknownAttribute' | 'readOnlyIgnored' | 'duplicateAttribute' | 'schemas';

/** Something {@link validateResource} tolerated and changed, such as an unknown attribute it dropped. */
export interface ValidationWarning {
  /** Where, as in {@link ValidationIssue.path}. */
  path: string;
  /**
   * What kind of tolerance: an attribute, sub-attribute or schema URN no schema defines was
   * dropped (`unknownAttribute`), read-only input was ignored (`readOnlyIgnored`), an attribute
   * given twice kept its last value (`duplicateAttribute`), `schemas` was completed (`schemas`).
   */
  code: ValidationWarningCode;
  /** What was tolerated. */
  message: string;
}

/**
 * A value the server must check for uniqueness (`uniqueness: server` or `global`), such as
 * `userName`. Validation cannot see other resources, so it hands these over.
 */
export interface UniquenessHint {
  /** Where, as in {@link ValidationIssue.path}. */
  path: string;
  /** The attribute (or sub-attribute) definition, for `caseExact`. */
  attribute: AttributeDefinition;
  /** The uniqueness scope. */
  uniqueness: Exclude<Uniqueness, 'none'>;
  /** The normalised value. */
  value: unknown;
}

/** Options of {@link validateResource}. */
export interface ValidateResourceOptions {
  /** The resource type the input must conform to (core schema plus extensions). */
  resourceType: ResourceTypeDefinition;
  /** What the resource is validated for. */
  context: ValidationContext;
  /**
   * The stored resource, on `replace` and `patch`: immutable values must match it, and on
   * `replace` immutable values the input leaves out are carried over from it.
   */
  existing?: Readonly<Record<string, unknown>>;
  /**
   * Strict mode: reject unknown attributes and schemas, string booleans, a missing or
   * incomplete `schemas` list. Sets the defaults of the two options below.
   * @defaultValue false
   */
  strict?: boolean;
  /**
   * Turn `"true"`/`"false"` strings (in any casing; Entra ID sends `"True"`) into booleans.
   * @defaultValue `!strict`
   */
  coerceBooleans?: boolean;
  /**
   * What to do with attributes and schema URNs no schema defines: drop them with a warning,
   * or reject them (`invalidSyntax`; `invalidPath` in the `patch` context).
   * @defaultValue `strict ? 'reject' : 'drop'`
   */
  unknownAttributes?: 'drop' | 'reject';
}

/** The outcome of a successful validation. */
export interface ValidationSuccess<T> {
  /** Validation passed. */
  success: true;
  /**
   * The normalised resource: schema casing for names and URNs, extension objects keyed by
   * their canonical URN and listed in `schemas`, nulls and empty lists removed, read-only
   * input dropped (create, replace), string booleans coerced.
   */
  data: T;
  /** What was tolerated (unknown attributes dropped, read-only input ignored, …). */
  warnings: ValidationWarning[];
  /** Values the server must check for uniqueness. */
  uniqueness: UniquenessHint[];
}

/** The outcome of a failed validation. */
export interface ValidationFailure {
  /** Validation failed. */
  success: false;
  /** The error, with every issue found. */
  error: ScimValidationError;
}

/** The result of {@link safeValidateResource}. */
export type ValidationResult<T> = ValidationSuccess<T> | ValidationFailure;

const MAX_DETAIL_ISSUES = 5;

/**
 * A resource that failed validation. `issues` lists every problem; `scimType` is that of the
 * first issue and `detail` summarises them.
 *
 * @example
 * ```ts
 * import { ScimValidationError, userResourceType, validateResource } from '@scimkit/schema';
 *
 * const body: unknown = JSON.parse('{"name":{"givenName":"Barbara"}}');
 * try {
 *   validateResource(body, { resourceType: userResourceType, context: 'create' });
 * } catch (error) {
 *   if (error instanceof ScimValidationError) console.log(error.issues); // userName is required
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class ScimValidationError extends ScimError {
  /** Every problem found, in document order. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    const shown = issues
      .slice(0, MAX_DETAIL_ISSUES)
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const more = issues.length > MAX_DETAIL_ISSUES ? ` (and ${issues.length - MAX_DETAIL_ISSUES} more)` : '';
    super(`${shown.join('; ')}${more}`, { status: 400, scimType: first?.scimType ?? 'invalidValue' });
    this.name = 'ScimValidationError';
    this.issues = issues;
  }
}
