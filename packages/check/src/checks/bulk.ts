/**
 * Bulk, when advertised: bulkId references, error handling and the advertised limits.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
import {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '@scimkit/schema/errors';
import { type CheckContext, CheckSkipped, defineCheck, rfc7644 } from '../context.js';
import { ensure, expectScimError, expectStatus, record, resourceOf, show } from '../expect.js';
import type { Answer } from '../http.js';
import { memberIds } from './groups.js';

const BULK = rfc7644('3.7');

/** Sends a BulkRequest. */
function sendBulk(context: CheckContext, operations: unknown[], failOnErrors?: number): Promise<Answer> {
  return context.send({
    method: 'POST',
    path: '/Bulk',
    body: {
      schemas: [BULK_REQUEST_SCHEMA],
      ...(failOnErrors === undefined ? {} : { failOnErrors }),
      Operations: operations,
    },
  });
}

/** The per-operation results of a BulkResponse, with status as a number. */
function resultsOf(answer: Answer): { status: number; location: unknown; bulkId: unknown }[] {
  expectStatus(answer, 200, 'HTTP 200 with a BulkResponse');
  const body = resourceOf(answer, 'a BulkResponse');
  ensure(
    Array.isArray(body.schemas) && body.schemas.includes(BULK_RESPONSE_SCHEMA),
    `schemas is ${show(body.schemas)}`,
    {
      expected: `"schemas": ["${BULK_RESPONSE_SCHEMA}"]`,
      answer,
    },
  );
  ensure(Array.isArray(body.Operations), 'the BulkResponse has no Operations', {
    expected: '"Operations": [ … ]',
    answer,
  });
  return body.Operations.map((item) => {
    const result = record(item) ?? {};
    const status = record(result.status)?.code ?? result.status;
    return { status: Number.parseInt(String(status), 10), location: result.location, bulkId: result.bulkId };
  });
}

function newUser(context: CheckContext, label: string, bulkId?: string, userName = context.userName(label)) {
  return {
    method: 'POST',
    path: '/Users',
    ...(bulkId ? { bulkId } : {}),
    data: { schemas: [USER_SCHEMA], userName },
  };
}

export const bulkChecks = [
  defineCheck({
    id: 'bulk.bulk-id',
    group: 'bulk',
    title: 'a bulk POST of a user and a group referencing it by bulkId',
    rfc: rfc7644('3.7.2'),
    requires: ['bulk', 'groups'],
    why: 'Operations are answered in a BulkResponse with a status and location each; "bulkId:<id>" in data refers to a resource created in the same request.',
    async run(context) {
      const answer = await sendBulk(context, [
        newUser(context, 'bulk', 'u1'),
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: context.unique('bulk-group'),
            members: [{ value: 'bulkId:u1' }],
          },
        },
      ]);
      const results = resultsOf(answer);
      ensure(
        results.length === 2 &&
          results.every((result) => result.status === 201 && typeof result.location === 'string'),
        `the results are ${show(results)}`,
        {
          expected: 'two results with status 201 and a location',
          answer,
        },
      );
      // A location may be a relative reference (RFC 3986): resolve it against the base URL.
      const [userLocation, groupLocation] = results.map(
        (result) => new URL(String(result.location), `${context.http.baseUrl}/`).href,
      );
      const read = await context.send({ method: 'GET', path: String(groupLocation) });
      expectStatus(read, 200);
      const userId = userLocation?.split('/').pop();
      ensure(
        userId !== undefined && memberIds(resourceOf(read)).includes(decodeURIComponent(userId)),
        `the group's members are ${show(resourceOf(read).members)}`,
        {
          expected: `the user created as bulkId u1 (${userLocation}) as a member`,
          answer: read,
        },
      );
    },
  }),
  defineCheck({
    id: 'bulk.continue-on-error',
    group: 'bulk',
    title: 'without failOnErrors, one failing operation does not stop the others',
    rfc: BULK,
    requires: ['bulk'],
    why: 'The service provider MUST continue performing as many changes as possible and disregard partial failures.',
    async run(context) {
      const taken = context.userName('bulk-taken');
      const answer = await sendBulk(context, [
        newUser(context, 'bulk', 'a', taken),
        newUser(context, 'bulk', 'b', taken),
        newUser(context, 'bulk', 'c'),
      ]);
      const statuses = resultsOf(answer).map((result) => result.status);
      ensure(statuses.join() === '201,409,201', `the statuses are ${statuses.join(', ')}`, {
        expected: '201, 409 (duplicate userName), 201',
        answer,
      });
    },
  }),
  defineCheck({
    id: 'bulk.fail-on-errors',
    group: 'bulk',
    title: 'failOnErrors=1 stops at the first error',
    rfc: rfc7644('3.7.3'),
    requires: ['bulk'],
    why: 'failOnErrors is the number of errors the service provider accepts before it stops processing the request.',
    async run(context) {
      const answer = await sendBulk(
        context,
        [
          { method: 'POST', path: '/Users', bulkId: 'bad', data: { schemas: [USER_SCHEMA] } },
          newUser(context, 'bulk', 'after'),
        ],
        1,
      );
      const results = resultsOf(answer);
      ensure(
        results[0] !== undefined && results[0].status >= 400,
        `the first result is ${show(results[0])}`,
        {
          expected: 'the first operation (no userName) failed',
          answer,
        },
      );
      ensure(
        !results.some((result) => result.status < 300),
        `an operation after the error ran: ${show(results)}`,
        {
          expected: 'no operation performed after the first error',
          answer,
        },
      );
    },
  }),
  defineCheck({
    id: 'bulk.max-operations',
    group: 'bulk',
    title: 'more operations than bulk.maxOperations answer 413',
    rfc: rfc7644('3.7.4'),
    requires: ['bulk'],
    why: 'A request over the advertised maxOperations MUST be refused with 413 Payload Too Large.',
    async run(context) {
      const { maxOperations } = context.server.bulkLimits;
      if (maxOperations === undefined || maxOperations > 1000)
        throw new CheckSkipped(`bulk.maxOperations is ${show(maxOperations)} (checked up to 1000)`);
      // Deletes of ids that do not exist: harmless should the server run them anyway.
      const operations = Array.from({ length: maxOperations + 1 }, (_, index) => ({
        method: 'DELETE',
        path: `/Users/${context.prefix}-absent-${index}`,
      }));
      expectScimError(await sendBulk(context, operations), 413);
    },
  }),
  defineCheck({
    id: 'bulk.max-payload',
    group: 'bulk',
    title: 'a request larger than bulk.maxPayloadSize answers 413',
    rfc: rfc7644('3.7.4'),
    requires: ['bulk'],
    why: 'A request over the advertised maxPayloadSize MUST be refused with 413 Payload Too Large.',
    async run(context) {
      const { maxPayloadSize } = context.server.bulkLimits;
      if (maxPayloadSize === undefined || maxPayloadSize > 4 * 1024 * 1024)
        throw new CheckSkipped(`bulk.maxPayloadSize is ${show(maxPayloadSize)} (checked up to 4 MiB)`);
      const padding = 'x'.repeat(maxPayloadSize + 1024);
      const operations = [
        {
          method: 'PATCH',
          path: `/Users/${context.prefix}-absent`,
          data: {
            schemas: [PATCH_OP_SCHEMA],
            Operations: [{ op: 'replace', path: 'nickName', value: padding }],
          },
        },
      ];
      expectScimError(await sendBulk(context, operations), 413);
    },
  }),
];
