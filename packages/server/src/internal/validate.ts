import type { AttributeDefinition } from '@scimkit/schema';
import { scimError } from './http.js';
import type { TypeInfo } from './type-info.js';

/** Options of {@link normaliseInput}. */
export interface NormaliseOptions {
  /** RFC only: no string booleans, no single value for a list, unknown attributes and schemas rejected. */
  strict: boolean;
}

/**
 * Validates a POST/PUT body against a resource type and returns it normalised: attribute
 * names in schema casing, extension attributes under their URN (also when written fully
 * qualified), readOnly attributes (`id`, `meta`, `groups`…) dropped as RFC 7643 section 7 says,
 * `null` meaning unassigned, Entra's `"True"`/`"False"` as booleans, required attributes checked.
 */
export function normaliseInput(
  info: TypeInfo,
  body: Record<string, unknown>,
  options: NormaliseOptions,
): Record<string, unknown> {
  const core: Record<string, unknown> = Object.create(null);
  const extensions = new Map<string, Record<string, unknown>>();
  const coreLower = info.schemaUrn.toLowerCase();
  const schemasIn = body.schemas;
  const listed = new Set<string>();
  if (Array.isArray(schemasIn)) {
    for (const urn of schemasIn) {
      if (typeof urn !== 'string')
        throw scimError(400, '"schemas" must be a list of schema URNs.', 'invalidSyntax');
      const schema = info.schemaByUrn.get(urn.toLowerCase());
      if (schema) listed.add(schema.id);
      else if (options.strict) {
        throw scimError(400, `"${urn}" is not a schema of ${info.name} resources.`, 'invalidValue');
      }
    }
  } else if (schemasIn !== undefined || options.strict) {
    throw scimError(400, '"schemas" must be a list of schema URNs.', 'invalidSyntax');
  }
  if (options.strict && !listed.has(info.schemaUrn)) {
    throw scimError(400, `"schemas" must list ${info.schemaUrn}.`, 'invalidValue');
  }
  const put = (
    target: Record<string, unknown>,
    definition: AttributeDefinition,
    value: unknown,
    where: string,
  ) => {
    if (definition.mutability === 'readOnly') return;
    const normalised = normaliseValue(definition, value, where, options);
    if (normalised !== undefined) target[definition.name] = normalised;
  };
  for (const key of Object.keys(body)) {
    const value = body[key];
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    const definition = info.coreAttributes.get(lower);
    if (definition) {
      put(core, definition, value, definition.name);
      continue;
    }
    const extension = info.extensionAttributes.get(lower);
    if (extension) {
      const urn = info.schemaByUrn.get(lower)!.id;
      if (value === null) continue;
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw scimError(400, `"${urn}" must be an object of extension attributes.`, 'invalidSyntax');
      }
      const target = extensions.get(urn) ?? Object.create(null);
      extensions.set(urn, target);
      for (const name of Object.keys(value)) {
        const attribute = extension.get(name.toLowerCase());
        if (!attribute) {
          if (options.strict) throw unknownAttribute(`${urn}:${name}`, info);
          continue;
        }
        put(target, attribute, (value as Record<string, unknown>)[name], attribute.name);
      }
      continue;
    }
    // A fully qualified name: `urn:…:User:userName` or `urn:…:enterprise:2.0:User:department`.
    const colon = lower.lastIndexOf(':');
    if (colon > 0 && !options.strict) {
      const urn = lower.slice(0, colon);
      const name = lower.slice(colon + 1);
      if (urn === coreLower) {
        const attribute = info.coreAttributes.get(name);
        if (attribute) {
          put(core, attribute, value, attribute.name);
          continue;
        }
      }
      const attribute = info.extensionAttributes.get(urn)?.get(name);
      if (attribute) {
        const id = info.schemaByUrn.get(urn)!.id;
        const target = extensions.get(id) ?? Object.create(null);
        extensions.set(id, target);
        put(target, attribute, value, attribute.name);
        continue;
      }
    }
    if (options.strict) throw unknownAttribute(key, info);
  }
  for (const attribute of info.definition.schema.attributes) {
    if (attribute.required && attribute.mutability !== 'readOnly' && core[attribute.name] === undefined) {
      throw scimError(400, `${info.name} resources require "${attribute.name}".`, 'invalidValue');
    }
  }
  const schemas = [info.schemaUrn];
  const out: Record<string, unknown> = { schemas };
  for (const key of Object.keys(core)) out[key] = core[key];
  for (const { schema, required } of info.definition.extensions) {
    const values = extensions.get(schema.id);
    const present = values !== undefined && Object.keys(values).length > 0;
    if (required && !present) {
      throw scimError(400, `${info.name} resources require the extension ${schema.id}.`, 'invalidValue');
    }
    if (!present) continue;
    for (const attribute of schema.attributes) {
      if (attribute.required && attribute.mutability !== 'readOnly' && values[attribute.name] === undefined) {
        throw scimError(400, `${schema.id} requires "${attribute.name}".`, 'invalidValue');
      }
    }
    schemas.push(schema.id);
    out[schema.id] = { ...values };
  }
  return out;
}

function unknownAttribute(name: string, info: TypeInfo) {
  return scimError(400, `"${name}" is not an attribute of ${info.name} resources.`, 'invalidValue');
}

function normaliseValue(
  definition: AttributeDefinition,
  value: unknown,
  where: string,
  options: NormaliseOptions,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    let list: unknown[];
    if (Array.isArray(value)) list = value;
    else if (!options.strict) list = [value];
    else throw scimError(400, `"${where}" must be a list.`, 'invalidValue');
    const out = list
      .map((item, i) => single(definition, item, `${where}[${i}]`, options))
      .filter((v) => v !== undefined);
    if (definition.type === 'complex') {
      const primaries = out.filter((item) => (item as Record<string, unknown>).primary === true);
      if (primaries.length > 1) {
        throw scimError(400, `"${where}" has more than one value with "primary": true.`, 'invalidValue');
      }
    }
    return out.length > 0 ? out : undefined;
  }
  if (Array.isArray(value)) {
    if (!options.strict && value.length === 1) return single(definition, value[0], where, options);
    throw scimError(400, `"${where}" takes a single value, not a list.`, 'invalidValue');
  }
  return single(definition, value, where, options);
}

function single(
  definition: AttributeDefinition,
  value: unknown,
  where: string,
  options: NormaliseOptions,
): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'complex': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        const valueSub = definition.subAttributes?.find((s) => s.name === 'value');
        if (!options.strict && valueSub && typeof value === 'string') return { value };
        throw scimError(400, `"${where}" must be an object.`, 'invalidValue');
      }
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value)) {
        const lower = name.toLowerCase();
        const sub = definition.subAttributes?.find((s) => s.name.toLowerCase() === lower);
        if (!sub) {
          if (options.strict)
            throw scimError(400, `"${where}.${name}" is not a sub-attribute.`, 'invalidValue');
          continue;
        }
        if (sub.mutability === 'readOnly') continue;
        const v = normaliseValue(
          sub,
          (value as Record<string, unknown>)[name],
          `${where}.${sub.name}`,
          options,
        );
        if (v !== undefined) out[sub.name] = v;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (!options.strict && typeof value === 'string') {
        const lower = value.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      throw scimError(400, `"${where}" must be true or false.`, 'invalidValue');
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw scimError(400, `"${where}" must be an integer.`, 'invalidValue');
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw scimError(400, `"${where}" must be a number.`, 'invalidValue');
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      throw scimError(400, `"${where}" must be an xsd:dateTime string.`, 'invalidValue');
    default:
      if (typeof value === 'string') return value;
      if (!options.strict && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
      throw scimError(400, `"${where}" must be a string.`, 'invalidValue');
  }
}
