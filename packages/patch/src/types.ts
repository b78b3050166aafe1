import type {
  PatchOperationType,
  ResourceTypeDefinition,
  PatchOperation as RfcPatchOperation,
  ScimError,
} from '@scimkit/schema';

/**
 * One PATCH operation as {@link applyPatch} accepts it: the `PatchOperation` of
 * `@scimkit/schema`, with `op` also in other casings (`Add`, `Replace`, `Remove` unless
 * `compat.capitalisedOps` is off). A `remove` may carry a value list (`compat.removeByValueList`).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export interface PatchOperation extends Omit<RfcPatchOperation, 'op'> {
  /** `add`, `replace` or `remove`, in any casing unless `compat.capitalisedOps` is off. */
  op: PatchOperationType | (string & {});
}

/**
 * A PatchOp request body as {@link applyPatch} accepts it: the `PatchOp` of `@scimkit/schema`,
 * whose `schemas` is checked in strict mode only, with operations as {@link PatchOperation}.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export interface PatchRequest {
  /** Must contain `urn:ietf:params:scim:api:messages:2.0:PatchOp` (checked in strict mode only). */
  schemas: readonly string[];
  /** The operations, applied in order, all or nothing. */
  Operations: readonly PatchOperation[];
}

/**
 * What a PATCH changed in one multi-valued attribute, so a store can persist a membership
 * change without rewriting a 100k-member group.
 */
export interface AttributeDelta {
  /** Attribute name in schema casing, e.g. `members`; extension attributes as `urn:…:name`. */
  attribute: string;
  /** Values appended. */
  added: readonly unknown[];
  /** Values removed. */
  removed: readonly unknown[];
  /**
   * True when the whole list was replaced (`replace` without a filter): the values kept may
   * then stand in another order and the added ones anywhere, so a store that keeps the order
   * must compare it. Absent otherwise: kept values keep their order, added ones come last.
   */
  replaced?: true;
}

/**
 * Shapes that real identity providers send outside RFC 7644. Every switch is on by default and
 * off under `strict`.
 */
export interface PatchCompatibility {
  /**
   * Accept `"op": "Add" | "Replace" | "Remove"` in any casing (Microsoft Entra ID), and the
   * operation keys `op`, `path`, `value` in any casing.
   * @defaultValue true
   */
  capitalisedOps?: boolean | undefined;
  /** Accept `"True"`/`"False"` (any casing) for boolean attributes (Entra). @defaultValue true */
  stringBooleans?: boolean | undefined;
  /**
   * `remove` with a path to a multi-valued attribute and a value list removes only the listed
   * values: `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` (Entra group
   * member removal). Off, a remove carrying a value is rejected (`invalidSyntax`).
   * @defaultValue true
   */
  removeByValueList?: boolean | undefined;
  /**
   * A bare string given for a single-valued complex attribute with a `value` sub-attribute
   * means that `value`: Entra sends `manager` as `"<id>"` for `manager.value = "<id>"`.
   * @defaultValue true
   */
  managerAsString?: boolean | undefined;
  /** A single value where a multi-valued attribute expects a list is taken as a list of one. @defaultValue true */
  singleValueAsArray?: boolean | undefined;
  /**
   * Keys of a path-less add/replace value may be attribute paths: `name.givenName`,
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` (Entra).
   * @defaultValue true
   */
  pathKeysInValue?: boolean | undefined;
  /**
   * A readOnly (or immutable, already set) attribute given with its current value is skipped
   * silently: Okta sends the unchanged `id` in a path-less replace. A changed value is still
   * a `mutability` error.
   * @defaultValue true
   */
  unchangedReadOnly?: boolean | undefined;
  /** Accept a body whose operations are under `operations` (any casing) rather than `Operations`. @defaultValue true */
  operationsKeyCase?: boolean | undefined;
  /**
   * Attributes and sub-attributes no schema defines in a PATCH value are skipped and listed in
   * {@link PatchResult.warnings}: `{"op":"add","path":"members","value":[{"value":"<id>",
   * "displayName":"x"}]}` adds the member. Off, they are 400 `invalidPath`. An unknown
   * attribute in the operation's `path` is always `invalidPath`.
   * @defaultValue true
   */
  ignoreUnknownAttributes?: boolean | undefined;
  /**
   * A bare string given as a value of a multi-valued complex attribute with a `value`
   * sub-attribute means that `value`: `{"op":"add","path":"members","value":"<id>"}` adds
   * `{ "value": "<id>" }` (the multi-valued form of {@link PatchCompatibility.managerAsString}).
   * Off, it is 400 `invalidValue`.
   * @defaultValue true
   */
  stringAsValue?: boolean | undefined;
  /**
   * A `schemas` key inside an extension object (`{"op":"add","path":"urn:…:enterprise:2.0:User",
   * "value":{"schemas":[…],"employeeNumber":"1"}}`, python's scim2-client) is ignored, as it
   * is at the top level. Off, it is 400 `invalidPath`.
   * @defaultValue true
   */
  schemasInExtension?: boolean | undefined;
}

/**
 * Something {@link applyPatch} tolerated rather than rejected: an unknown attribute it skipped
 * (see {@link PatchCompatibility.ignoreUnknownAttributes}).
 */
export interface PatchWarning {
  /** The index of the operation in `Operations`. */
  operation: number;
  /** What was skipped: `members.displayName`, `urn:…:User:shoeSize`. */
  path: string;
  /** What was tolerated, for a person. */
  message: string;
}

/**
 * Options of {@link applyPatch} and {@link diffResources}.
 */
export interface PatchOptions {
  /**
   * The resource type whose schemas drive the patch. By default the core Group resource type
   * when the resource's `schemas` lists the Group URN, else the core User resource type with
   * the Enterprise User extension.
   */
  resourceType?: ResourceTypeDefinition | undefined;
  /**
   * RFC 7644 only: every {@link PatchCompatibility} switch off (explicit `compat` entries still
   * win), and the request must be a PatchOp body whose `schemas` lists the PatchOp URN.
   * @defaultValue false
   */
  strict?: boolean | undefined;
  /** Compatibility switches; each is on by default (off under `strict`). */
  compat?: PatchCompatibility | undefined;
  /** Most operations accepted in one request (`invalidValue` beyond). @defaultValue 1000 */
  maxOperations?: number | undefined;
  /** Most values in one operation's value list (`invalidValue` beyond). @defaultValue 100000 */
  maxValues?: number | undefined;
  /** Longest string value accepted, in UTF-16 code units (`invalidValue` beyond). @defaultValue 1048576 */
  maxStringLength?: number | undefined;
}

/** What {@link applyPatch} returns. */
export interface PatchResult<TResource = Record<string, unknown>> {
  /** The patched resource: a new object (untouched parts are shared with the input), or the input itself when nothing changed. */
  resource: TResource;
  /** Whether anything changed; when false, servers keep `meta.version` and `meta.lastModified`. */
  changed: boolean;
  /** What changed in each multi-valued attribute the patch touched (only attributes with a change). */
  deltas: AttributeDelta[];
  /** What was tolerated, such as unknown sub-attributes skipped; empty for a request that fits the schema. */
  warnings: PatchWarning[];
}

/** What {@link safeApplyPatch} returns: the result, or the SCIM error instead of a throw. */
export type SafePatchResult<TResource = Record<string, unknown>> =
  | { success: true; data: PatchResult<TResource> }
  | { success: false; error: ScimError };
