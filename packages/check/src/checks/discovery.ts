/**
 * Discovery: the three endpoints exist, agree with each other, and describe what the server
 * really returns.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from '@scimkit/schema/errors';
import { type CheckContext, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { ensure, expectStatus, fail, listOf, record, resourceOf, show } from '../expect.js';
import { sampleUser } from '../fixtures.js';

const CAPABILITIES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;

function same(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Reads /Schemas as a list of schema objects. */
async function schemasOf(context: CheckContext) {
  const answer = await context.send({ method: 'GET', path: '/Schemas' });
  return { answer, schemas: listOf(answer).resources };
}

export const discoveryChecks = [
  defineCheck({
    id: 'discovery.service-provider-config',
    group: 'discovery',
    title: 'GET /ServiceProviderConfig describes every capability',
    rfc: rfc7643('5'),
    why: 'Clients read it to decide what to send: patch, bulk, filter, changePassword, sort and etag are REQUIRED objects with a boolean "supported", and authenticationSchemes is REQUIRED.',
    writes: false,
    async run(context) {
      const answer = await context.send({ method: 'GET', path: '/ServiceProviderConfig' });
      expectStatus(answer, 200);
      const body = resourceOf(answer, 'the ServiceProviderConfig');
      const expected = 'a ServiceProviderConfig as RFC 7643 section 5 defines it';
      ensure(
        Array.isArray(body.schemas) && body.schemas.some((urn) => same(urn, SERVICE_PROVIDER_CONFIG_SCHEMA)),
        `its schemas is ${show(body.schemas)}`,
        { expected: `"schemas": ["${SERVICE_PROVIDER_CONFIG_SCHEMA}"]`, answer },
      );
      for (const name of CAPABILITIES) {
        const capability = record(body[name]);
        ensure(typeof capability?.supported === 'boolean', `"${name}" is ${show(body[name])}`, {
          expected: `"${name}": { "supported": true | false } (${expected})`,
          answer,
        });
      }
      const bulk = record(body.bulk);
      if (bulk?.supported === true) {
        for (const limit of ['maxOperations', 'maxPayloadSize']) {
          ensure(Number.isInteger(bulk[limit]), `bulk.${limit} is ${show(bulk[limit])}`, {
            expected: `an integer bulk.${limit} (REQUIRED)`,
            answer,
          });
        }
      }
      ensure(Array.isArray(body.authenticationSchemes), 'authenticationSchemes is missing', {
        expected: '"authenticationSchemes": [ … ] (REQUIRED)',
        answer,
      });
    },
  }),
  defineCheck({
    id: 'discovery.resource-types',
    group: 'discovery',
    title: 'GET /ResourceTypes lists User (and Group) as a ListResponse',
    rfc: rfc7644('4'),
    idps: ['entra-id', 'okta'],
    why: 'Multiple resource types are returned in the ListResponse form (RFC 7644 section 4); each names its endpoint and core schema (RFC 7643 section 6). The User type at /Users is what every IdP provisions.',
    writes: false,
    async run(context) {
      const answer = await context.send({ method: 'GET', path: '/ResourceTypes' });
      const list = listOf(answer);
      ensure(list.isListResponse, 'the answer is not a ListResponse', {
        expected: 'a ListResponse (schemas urn:ietf:params:scim:api:messages:2.0:ListResponse)',
        answer,
      });
      for (const type of list.resources) {
        for (const key of ['name', 'endpoint', 'schema']) {
          ensure(typeof type[key] === 'string', `resource type ${show(type.name ?? type.id)} has no ${key}`, {
            expected: `every resource type with "name", "endpoint" and "schema" (REQUIRED)`,
            answer,
          });
        }
      }
      const user = list.resources.find((type) => same(type.schema, USER_SCHEMA));
      ensure(user && same(user.endpoint, '/Users'), 'no User resource type at /Users', {
        expected: `a resource type with schema ${USER_SCHEMA} and endpoint /Users`,
        actual: show(list.resources.map((type) => ({ name: type.name, endpoint: type.endpoint }))),
        answer,
      });
      const group = list.resources.find((type) => same(type.schema, GROUP_SCHEMA));
      if (group) {
        ensure(
          same(group.endpoint, '/Groups'),
          `the Group resource type's endpoint is ${show(group.endpoint)}`,
          {
            expected: 'endpoint /Groups',
            answer,
          },
        );
      }
    },
  }),
  defineCheck({
    id: 'discovery.schemas',
    group: 'discovery',
    title: 'GET /Schemas defines every schema the resource types use',
    rfc: rfc7644('4'),
    why: 'Every schema and extension a resource type names must be retrievable from /Schemas (a ListResponse), with its attributes, or clients cannot map attributes.',
    writes: false,
    async run(context) {
      const { answer, schemas } = await schemasOf(context);
      ensure(listOf(answer).isListResponse, 'the answer is not a ListResponse', {
        expected: 'a ListResponse of schemas',
        answer,
      });
      const wanted = new Set<string>();
      for (const type of context.server.resourceTypes) {
        if (typeof type.schema === 'string') wanted.add(type.schema);
        for (const extension of Array.isArray(type.schemaExtensions) ? type.schemaExtensions : []) {
          const urn = record(extension)?.schema;
          if (typeof urn === 'string') wanted.add(urn);
        }
      }
      if (wanted.size === 0) wanted.add(USER_SCHEMA);
      for (const urn of wanted) {
        const schema = schemas.find((candidate) => same(candidate.id, urn));
        ensure(schema, `/Schemas has no ${urn}`, { expected: `a schema with id ${urn}`, answer });
        ensure(
          Array.isArray(schema.attributes) &&
            schema.attributes.every((attribute) => typeof record(attribute)?.name === 'string'),
          `schema ${urn} has no attribute list`,
          { expected: '"attributes": [{ "name": …, "type": … }, …]', answer },
        );
      }
    },
  }),
  defineCheck({
    id: 'discovery.schema-by-id',
    group: 'discovery',
    title: 'GET /Schemas/<urn> and /ResourceTypes/User return single resources',
    level: 'advisory',
    rfc: rfc7644('4'),
    why: 'Individual schemas and resource types can be retrieved by appending the schema URI or the type name; they come back as single objects, like GET of a User.',
    writes: false,
    async run(context) {
      const schema = await context.send({ method: 'GET', path: `/Schemas/${USER_SCHEMA}` });
      expectStatus(schema, 200);
      const body = resourceOf(schema, 'the User schema');
      ensure(same(body.id, USER_SCHEMA), `its id is ${show(body.id)}`, {
        expected: `"id": "${USER_SCHEMA}"`,
        answer: schema,
      });
      const type = await context.send({ method: 'GET', path: '/ResourceTypes/User' });
      expectStatus(type, 200);
      const resourceType = resourceOf(type, 'the User resource type');
      ensure(same(resourceType.schema, USER_SCHEMA), `its schema is ${show(resourceType.schema)}`, {
        expected: `"schema": "${USER_SCHEMA}"`,
        answer: type,
      });
    },
  }),
  defineCheck({
    id: 'discovery.user-schema',
    group: 'discovery',
    title: 'the User schema declares userName and password as RFC 7643 does',
    rfc: rfc7643('4.1.1'),
    idps: ['okta'],
    why: 'userName is required, unique (uniqueness "server") and case-insensitive (caseExact false); password is writeOnly and never returned. Clients such as Okta read /Schemas to map attributes.',
    writes: false,
    async run(context) {
      const { answer, schemas } = await schemasOf(context);
      const user = schemas.find((schema) => same(schema.id, USER_SCHEMA));
      ensure(user && Array.isArray(user.attributes), 'no User schema', { expected: USER_SCHEMA, answer });
      const attribute = (name: string) =>
        (user.attributes as unknown[]).map(record).find((candidate) => same(candidate?.name, name));
      const userName = attribute('userName');
      ensure(userName, 'the User schema does not declare userName', {
        expected: 'a userName attribute',
        answer,
      });
      const rules: [string, unknown, unknown][] = [
        ['userName.required', userName.required, true],
        ['userName.caseExact', userName.caseExact, false],
        ['userName.uniqueness', userName.uniqueness, 'server'],
      ];
      const password = attribute('password');
      if (password) {
        rules.push(['password.returned', password.returned, 'never']);
        rules.push(['password.mutability', password.mutability, 'writeOnly']);
      }
      for (const [name, actual, expected] of rules) {
        ensure(actual === expected, `${name} is declared ${show(actual)}`, {
          expected: `${name}: ${show(expected)}`,
          answer,
        });
      }
    },
  }),
  defineCheck({
    id: 'discovery.resources-match-schemas',
    group: 'discovery',
    title: 'a User as returned uses only declared attributes and lists its extensions in schemas',
    rfc: rfc7643('3'),
    why: 'Every attribute of a resource is defined by a schema in its "schemas" list (core or an extension its resource type declares), and meta.resourceType names its type.',
    writes: false,
    async run(context) {
      const user = await sampleUser(context);
      const answer = await context.read('/Users', String(user.id));
      expectStatus(answer, 200);
      const resource = resourceOf(answer);
      const listed = Array.isArray(resource.schemas) ? resource.schemas.map(String) : [];
      ensure(
        listed.some((urn) => same(urn, USER_SCHEMA)),
        `its schemas is ${show(resource.schemas)}`,
        {
          expected: `schemas listing ${USER_SCHEMA}`,
          answer,
        },
      );
      const declared = new Set(['schemas', 'id', 'externalid', 'meta']);
      const coreSchema = context.server.schemas.find((schema) => same(schema.id, USER_SCHEMA));
      const coreAttributes = Array.isArray(coreSchema?.attributes) ? coreSchema.attributes : [];
      for (const attribute of coreAttributes) {
        const name = record(attribute)?.name;
        if (typeof name === 'string') declared.add(name.toLowerCase());
      }
      for (const key of Object.keys(resource)) {
        if (key.toLowerCase().startsWith('urn:')) {
          ensure(
            listed.some((urn) => same(urn, key)),
            `the extension ${key} is not listed in schemas`,
            {
              expected: `"schemas" to list ${key}`,
              actual: show(resource.schemas),
              answer,
            },
          );
          continue;
        }
        if (coreSchema && !declared.has(key.toLowerCase())) {
          fail(`the attribute "${key}" is not declared in /Schemas`, {
            expected: `every attribute of a User declared by ${USER_SCHEMA} or a listed extension`,
            answer,
          });
        }
      }
      const meta = record(resource.meta);
      ensure(meta?.resourceType === 'User', `meta.resourceType is ${show(meta?.resourceType)}`, {
        expected: '"meta": { "resourceType": "User", … }',
        answer,
      });
      if (listed.some((urn) => same(urn, ENTERPRISE_USER_SCHEMA))) {
        ensure(
          context.has('enterpriseUser'),
          'the User lists the enterprise extension its resource type does not declare',
          {
            expected: `the User resource type's schemaExtensions to include ${ENTERPRISE_USER_SCHEMA}`,
            answer,
          },
        );
      }
    },
  }),
];
