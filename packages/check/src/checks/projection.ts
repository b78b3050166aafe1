/**
 * Projection: `attributes`, `excludedAttributes` and the `returned` characteristic
 * (`always` comes back whatever is asked, `never`, the password, in no response at all).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 */
import { USER_SCHEMA } from '@scimkit/schema/errors';
import { CheckSkipped, defineCheck, rfc7643, rfc7644 } from '../context.js';
import { ensure, expectStatus, fail, listOf, record, resourceOf, show } from '../expect.js';
import { sampleUser } from '../fixtures.js';
import type { Answer } from '../http.js';

const SECTION = rfc7644('3.4.2.5');

/** Fails when any of `names` is present in `resource`. */
function expectAbsent(answer: Answer, resource: Record<string, unknown>, names: string[], why: string): void {
  for (const name of names) {
    ensure(resource[name] === undefined, `"${name}" came back: ${show(resource[name])}`, {
      expected: `no "${name}" (${why})`,
      answer,
    });
  }
}

/** Fails unless every one of `names` is present in `resource`. */
function expectPresent(
  answer: Answer,
  resource: Record<string, unknown>,
  names: string[],
  why: string,
): void {
  for (const name of names) {
    ensure(resource[name] !== undefined, `"${name}" is missing`, { expected: `"${name}" (${why})`, answer });
  }
}

const PASSWORD = 'Never-Returned-7x!';

export const projectionChecks = [
  defineCheck({
    id: 'projection.attributes',
    group: 'projection',
    title: 'attributes=userName returns userName and id only',
    rfc: SECTION,
    writes: false,
    why: 'attributes overrides the default set: only the named attributes come back, plus those returned "always" such as id.',
    async run(context) {
      const user = await sampleUser(context);
      const answer = await context.read('/Users', String(user.id), { attributes: 'userName' });
      expectStatus(answer, 200);
      const resource = resourceOf(answer);
      expectPresent(answer, resource, ['id', 'userName'], 'asked for, or returned always');
      expectAbsent(answer, resource, ['displayName', 'emails', 'name', 'active', 'title'], 'not asked for');
    },
  }),
  defineCheck({
    id: 'projection.excluded-attributes',
    group: 'projection',
    title: 'excludedAttributes=emails,name leaves those out and keeps the rest',
    rfc: SECTION,
    writes: false,
    why: 'excludedAttributes removes attributes from the default set; Entra ID uses it to avoid reading members.',
    async run(context) {
      const user = await sampleUser(context);
      const answer = await context.read('/Users', String(user.id), { excludedAttributes: 'emails,name' });
      expectStatus(answer, 200);
      const resource = resourceOf(answer);
      expectPresent(answer, resource, ['id', 'userName'], 'not excluded');
      expectAbsent(answer, resource, ['emails', 'name'], 'excluded');
    },
  }),
  defineCheck({
    id: 'projection.returned-always',
    group: 'projection',
    title: 'id comes back even when excluded or not asked for',
    rfc: rfc7643('7'),
    writes: false,
    why: 'Attributes returned "always" (id) are in every response, whatever attributes or excludedAttributes say.',
    async run(context) {
      const user = await sampleUser(context);
      for (const query of [{ excludedAttributes: 'id' }, { attributes: 'displayName' }]) {
        const answer = await context.read('/Users', String(user.id), query);
        expectStatus(answer, 200);
        expectPresent(answer, resourceOf(answer), ['id'], 'returned always');
      }
    },
  }),
  defineCheck({
    id: 'projection.sub-attribute',
    group: 'projection',
    title: 'attributes=name.familyName returns only that sub-attribute',
    rfc: SECTION,
    writes: false,
    why: 'Attribute names in attributes may name sub-attributes (standard attribute notation, RFC 7644 section 3.10).',
    async run(context) {
      const user = await sampleUser(context);
      if (
        typeof record(user.name)?.familyName !== 'string' ||
        typeof record(user.name)?.givenName !== 'string'
      )
        throw new CheckSkipped('the user read has no name.familyName and name.givenName');
      const answer = await context.read('/Users', String(user.id), { attributes: 'name.familyName' });
      expectStatus(answer, 200);
      const resource = resourceOf(answer);
      const name = record(resource.name);
      ensure(
        name?.familyName !== undefined && name.givenName === undefined,
        `name is ${show(resource.name)}`,
        {
          expected: '"name": { "familyName": … } without givenName',
          answer,
        },
      );
      expectAbsent(answer, resource, ['userName'], 'not asked for');
    },
  }),
  defineCheck({
    id: 'projection.list',
    group: 'projection',
    title: 'attributes applies to every resource of a list',
    rfc: SECTION,
    writes: false,
    why: 'attributes and excludedAttributes work on queries as on single resources.',
    async run(context) {
      const answer = await context.send({
        method: 'GET',
        path: '/Users',
        query: { attributes: 'userName', count: 3 },
      });
      const { resources } = listOf(answer);
      if (resources.length === 0) throw new CheckSkipped('the server lists no user');
      for (const resource of resources) {
        expectPresent(answer, resource, ['id', 'userName'], 'asked for, or returned always');
        expectAbsent(answer, resource, ['emails', 'name', 'displayName'], 'not asked for');
      }
    },
  }),
  defineCheck({
    id: 'projection.password-never',
    group: 'projection',
    title: 'password is never returned, not even when asked for',
    rfc: rfc7643('4.1.1'),
    idps: ['okta'],
    writes: false,
    why: 'password is returned "never": in no response, whatever attributes asks for. Okta sends passwords on create.',
    async run(context) {
      const answers: Answer[] = [];
      if (!context.readOnly) {
        const userName = context.userName('password');
        const created = await context.send({
          method: 'POST',
          path: '/Users',
          body: { schemas: [USER_SCHEMA], userName, password: PASSWORD, active: true },
        });
        expectStatus(created, 201);
        answers.push(created);
        const id = String(resourceOf(created).id);
        answers.push(await context.read('/Users', id));
        answers.push(await context.read('/Users', id, { attributes: 'password,userName' }));
      }
      answers.push(
        await context.send({
          method: 'GET',
          path: '/Users',
          query: { attributes: 'password,userName', count: 5 },
        }),
      );
      for (const answer of answers) {
        if (answer.text.includes(PASSWORD))
          fail('the password came back', { expected: 'no password in any response', answer });
        const body = record(answer.body);
        const resources = Array.isArray(body?.Resources)
          ? body.Resources
          : Array.isArray(answer.body)
            ? answer.body
            : [body];
        for (const resource of resources) {
          ensure(record(resource)?.password === undefined, 'a "password" attribute came back', {
            expected: 'no "password" attribute in any response',
            answer,
          });
        }
      }
    },
  }),
];
