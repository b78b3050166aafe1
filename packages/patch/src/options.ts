import {
  GROUP_SCHEMA,
  groupResourceType,
  type ResourceTypeDefinition,
  userResourceType,
} from '@scimkit/schema';
import type { PatchCompatibility, PatchOptions } from './types.js';
import { isObject } from './values.js';

/** Every compatibility switch resolved to a boolean. */
export type ResolvedCompatibility = { [K in keyof PatchCompatibility]-?: boolean };

/** Options with every default applied. */
export interface ResolvedOptions {
  strict: boolean;
  compat: ResolvedCompatibility;
  maxOperations: number;
  maxValues: number;
  maxStringLength: number;
}

const SWITCHES: readonly (keyof PatchCompatibility)[] = [
  'capitalisedOps',
  'stringBooleans',
  'removeByValueList',
  'managerAsString',
  'singleValueAsArray',
  'pathKeysInValue',
  'unchangedReadOnly',
  'operationsKeyCase',
  'ignoreUnknownAttributes',
  'stringAsValue',
  'schemasInExtension',
];

const DEFAULTS: ResolvedOptions = Object.freeze({
  strict: false,
  compat: Object.freeze(Object.fromEntries(SWITCHES.map((name) => [name, true])) as ResolvedCompatibility),
  maxOperations: 1000,
  maxValues: 100_000,
  maxStringLength: 1_048_576,
});

/** Applies the defaults: every switch on, or off under `strict`; explicit switches win. */
export function resolveOptions(options: PatchOptions = {}): ResolvedOptions {
  if (
    options.strict === undefined &&
    options.compat === undefined &&
    options.maxOperations === undefined &&
    options.maxValues === undefined &&
    options.maxStringLength === undefined
  ) {
    return DEFAULTS;
  }
  const strict = options.strict === true;
  const compat = {} as ResolvedCompatibility;
  for (const name of SWITCHES) compat[name] = options.compat?.[name] ?? !strict;
  return {
    strict,
    compat,
    maxOperations: options.maxOperations ?? 1000,
    maxValues: options.maxValues ?? 100_000,
    maxStringLength: options.maxStringLength ?? 1_048_576,
  };
}

/** The default resource type for a resource: Group when its `schemas` lists the Group URN, else User. */
function defaultResourceType(resource: unknown): ResourceTypeDefinition {
  const schemas = isObject(resource) ? resource.schemas : undefined;
  if (Array.isArray(schemas)) {
    const group = GROUP_SCHEMA.toLowerCase();
    for (const schema of schemas)
      if (typeof schema === 'string' && schema.toLowerCase() === group) return groupResourceType;
  }
  return userResourceType;
}

/** The resource type options name, or the default for this resource. */
export function resourceTypeFor(
  resource: unknown,
  options: PatchOptions | undefined,
): ResourceTypeDefinition {
  return options?.resourceType ?? defaultResourceType(resource);
}
