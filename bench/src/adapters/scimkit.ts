import type { FilterEvaluator, FilterParser, Patcher, Validator } from './peers.js';

/** scimkit's side of each suite; a member is absent while its package has not landed. */
export interface ScimkitAdapters {
  parser?: FilterParser;
  evaluator?: FilterEvaluator;
  patcher?: Patcher;
  validator?: Validator;
}

/** Library name of scimkit in every table. */
export const SCIMKIT = 'scimkit';

type Module = Record<string, unknown>;
const load = async (name: string): Promise<Module> => {
  try {
    return (await import(name)) as Module;
  } catch {
    return {};
  }
};
type Fn = (...args: unknown[]) => unknown;
const fn = (m: Module, name: string): Fn | undefined =>
  typeof m[name] === 'function' ? (m[name] as Fn) : undefined;

const LENIENT = { lenient: true };

/** Loads whatever scimkit packages are ready. */
export async function loadScimkit(): Promise<ScimkitAdapters> {
  const filter = await load('@scimkit/filter');
  const schema = await load('@scimkit/schema');
  const patch = await load('@scimkit/patch');
  const out: ScimkitAdapters = {};
  const parseFilter = fn(filter, 'parseFilter');
  const compileFilter = fn(filter, 'compileFilter');
  const coreSchemas = schema.coreSchemas;
  if (parseFilter)
    out.parser = {
      name: SCIMKIT,
      parse: (text) => parseFilter(text, LENIENT),
      note: 'lenient mode (accepts Entra ID filters)',
    };
  if (compileFilter) {
    out.evaluator = {
      name: SCIMKIT,
      compile: (text) => {
        const predicate = compileFilter(text, { schemas: coreSchemas }) as (r: unknown) => boolean;
        return (users) => {
          let n = 0;
          for (let i = 0; i < users.length; i++) if (predicate(users[i])) n++;
          return n;
        };
      },
    };
  }
  const applyPatch = fn(patch, 'applyPatch');
  if (applyPatch) {
    out.patcher = {
      name: SCIMKIT,
      mutates: false,
      apply: (resource, operations) =>
        (applyPatch(resource, operations) as { resource: Record<string, unknown> }).resource,
      toJson: (result) => JSON.parse(JSON.stringify(result)) as Record<string, unknown>,
    };
  }
  const validateResource = fn(schema, 'validateResource');
  if (validateResource) {
    out.validator = {
      name: SCIMKIT,
      validate: (resource) => validateResource(resource, schema.userResourceType),
    };
  }
  return out;
}
