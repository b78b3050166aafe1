/**
 * Lists and paging: the ListResponse shape, totalResults, startIndex/count with their edge
 * values, sorting and RFC 9865 cursors, on the population (three users of this run).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4
 */
import { LIST_RESPONSE_SCHEMA } from '@scimkit/schema/errors';
import { type CheckContext, type CheckDefinition, defineCheck, RFC9865, rfc7644 } from '../context.js';
import {
  ensure,
  expectIds,
  expectScimError,
  idsOf,
  listOf,
  readList,
  record,
  show,
  totalOf,
} from '../expect.js';
import { expectPopulation, population } from '../fixtures.js';
import type { Answer } from '../http.js';

const PAGING = rfc7644('3.4.2.4');

/** GET /Users over the population with extra query parameters. */
async function page(context: CheckContext, query: Record<string, string | number>): Promise<Answer> {
  const { scope } = await context.fixture(population);
  return context.send({
    method: 'GET',
    path: '/Users',
    query: { filter: `userName sw ${JSON.stringify(scope)}`, ...query },
  });
}

/** Fails unless a page over the population has no resources and still counts all three. */
function expectEmptyPage(answer: Answer, what: string): void {
  const list = listOf(answer);
  ensure(list.resources.length === 0, `${list.resources.length} resources for ${what}`, {
    expected: 'no resources',
    answer,
  });
  const total = totalOf(answer, list);
  ensure(total === 3, `totalResults is ${total}`, { expected: '"totalResults": 3 (every match)', answer });
}

/** A check over the population that needs filtering to confine itself. */
function pagingCheck(
  check: Omit<CheckDefinition, 'group' | 'level' | 'idps' | 'requires' | 'writes'> & Partial<CheckDefinition>,
) {
  return defineCheck({ ...check, group: 'paging', requires: ['filter', ...(check.requires ?? [])] });
}

export const pagingChecks: CheckDefinition[] = [
  defineCheck({
    id: 'paging.list-response',
    group: 'paging',
    title: 'lists are ListResponse objects, never bare arrays',
    rfc: rfc7644('3.4.2'),
    idps: ['entra-id', 'okta'],
    writes: false,
    why: 'A query answers {"schemas":["…:ListResponse"],"totalResults":…,"Resources":[…]}; IdPs read totalResults and Resources and fail on anything else.',
    async run(context) {
      const answer = await context.send({ method: 'GET', path: '/Users', query: { count: 2 } });
      listOf(answer);
      const body = record(answer.body);
      ensure(body, 'the list is a bare JSON array', { expected: 'a ListResponse object', answer });
      ensure(
        Array.isArray(body.schemas) && body.schemas.includes(LIST_RESPONSE_SCHEMA),
        `schemas is ${show(body.schemas)}`,
        {
          expected: `"schemas": ["${LIST_RESPONSE_SCHEMA}"]`,
          answer,
        },
      );
      const total = totalOf(answer);
      if (total !== 0) {
        ensure(
          Array.isArray(body.Resources),
          `totalResults is ${total} but Resources is ${show(body.Resources)}`,
          {
            expected: '"Resources": [ … ] (REQUIRED when totalResults is not 0)',
            answer,
          },
        );
      }
    },
  }),
  pagingCheck({
    id: 'paging.total-results',
    title: 'totalResults counts every match, not the page',
    rfc: rfc7644('3.4.2'),
    idps: ['okta'],
    why: 'totalResults is the total number of results of the query; clients page until they have that many, so a count of the page alone stops them early.',
    async run(context) {
      const answer = await page(context, { startIndex: 1, count: 1 });
      const list = listOf(answer);
      const total = totalOf(answer, list);
      ensure(total === 3, `totalResults is ${total}`, {
        expected: '"totalResults": 3 (the three users the filter matches)',
        answer,
      });
    },
  }),
  pagingCheck({
    id: 'paging.start-index',
    title: 'startIndex and count page through every match once',
    rfc: PAGING,
    idps: ['okta'],
    why: 'startIndex is the 1-based index of the first result and count the page size; pages of one must visit each match exactly once, and itemsPerPage says how many came.',
    async run(context) {
      const people = await context.fixture(population);
      const seen: string[] = [];
      let last: Answer | undefined;
      for (const startIndex of [1, 2, 3]) {
        const answer = await page(context, { startIndex, count: 1 });
        const list = listOf(answer);
        ensure(
          list.resources.length === 1,
          `startIndex=${startIndex}&count=1 answered ${list.resources.length} resources`,
          {
            expected: 'one resource per page',
            answer,
          },
        );
        if (list.itemsPerPage !== undefined || list.startIndex !== undefined) {
          ensure(
            list.itemsPerPage === 1 && list.startIndex === startIndex,
            `itemsPerPage ${show(list.itemsPerPage)}, startIndex ${show(list.startIndex)}`,
            {
              expected: `"itemsPerPage": 1, "startIndex": ${startIndex}`,
              answer,
            },
          );
        }
        seen.push(...idsOf(list.resources));
        last = answer;
      }
      if (last) expectPopulation(last, seen, people);
    },
  }),
  pagingCheck({
    id: 'paging.count',
    title: 'count caps the page',
    rfc: PAGING,
    why: 'The service provider MUST NOT return more results than count.',
    async run(context) {
      const answer = await page(context, { count: 2 });
      const list = listOf(answer);
      ensure(
        list.resources.length <= 2 && list.resources.length > 0,
        `${list.resources.length} resources for count=2`,
        {
          expected: 'one or two resources',
          answer,
        },
      );
    },
  }),
  pagingCheck({
    id: 'paging.count-zero',
    title: 'count=0 answers only totalResults',
    rfc: PAGING,
    why: 'A count of 0 returns no resources, only totalResults: the cheap way to ask how many match.',
    async run(context) {
      expectEmptyPage(await page(context, { count: 0 }), 'count=0');
    },
  }),
  pagingCheck({
    id: 'paging.negative-count',
    title: 'a negative count is read as 0',
    rfc: PAGING,
    why: 'A negative count SHALL be interpreted as 0.',
    async run(context) {
      expectEmptyPage(await page(context, { count: -1 }), 'count=-1');
    },
  }),
  pagingCheck({
    id: 'paging.start-index-below-one',
    title: 'startIndex below 1 is read as 1',
    rfc: PAGING,
    why: 'A startIndex less than 1 SHALL be interpreted as 1.',
    async run(context) {
      const first = idsOf(listOf(await page(context, { startIndex: 1, count: 1 })).resources);
      const answer = await page(context, { startIndex: 0, count: 1 });
      const found = idsOf(listOf(answer).resources);
      const { names } = await context.fixture(population);
      expectIds(answer, found, first, names);
    },
  }),
  pagingCheck({
    id: 'paging.past-the-end',
    title: 'a startIndex past the last match answers 200 with no resources',
    rfc: rfc7644('3.4.2'),
    idps: ['okta'],
    why: 'A page past the end is a query without results: 200 with totalResults still counting every match. Okta pages until it gets an empty page.',
    async run(context) {
      expectEmptyPage(await page(context, { startIndex: 10, count: 5 }), 'startIndex=10 (past the end)');
    },
  }),
  pagingCheck({
    id: 'paging.sort',
    title: 'sortBy and sortOrder=descending order the results',
    rfc: rfc7644('3.4.2.3'),
    requires: ['sort'],
    why: 'A server advertising sort orders by sortBy in sortOrder.',
    async run(context) {
      const { alice, bob, carol, names } = await context.fixture(population);
      const answer = await page(context, { sortBy: 'displayName', sortOrder: 'descending' });
      const found = idsOf(listOf(answer).resources);
      const wanted = [carol.id, bob.id, alice.id];
      ensure(
        found.join() === wanted.join(),
        `the order is ${found.map((id) => names.get(id) ?? id).join(', ')}`,
        {
          expected: 'carol, bob, alice (displayName descending)',
          answer,
        },
      );
    },
  }),
  pagingCheck({
    id: 'paging.cursor',
    title: 'cursor paging visits every match once and ends without nextCursor',
    rfc: RFC9865,
    requires: ['cursor'],
    why: 'A server advertising pagination.cursor answers cursor= with a first page and a nextCursor to follow until the last page.',
    async run(context) {
      const people = await context.fixture(population);
      const seen: string[] = [];
      let cursor = '';
      let last: Answer | undefined;
      for (let pages = 0; pages < 5; pages++) {
        const answer = await page(context, { cursor, count: 1 });
        const list = listOf(answer);
        seen.push(...idsOf(list.resources));
        last = answer;
        if (list.nextCursor === undefined) break;
        cursor = list.nextCursor;
      }
      if (!last) return;
      ensure(readList(last).nextCursor === undefined, 'the cursor never ends', {
        expected: 'no nextCursor on the last page',
        answer: last,
      });
      expectPopulation(last, seen, people);
    },
  }),
  pagingCheck({
    id: 'paging.invalid-cursor',
    title: 'an unknown cursor answers 400 invalidCursor',
    rfc: RFC9865,
    requires: ['cursor'],
    why: 'A cursor the server did not issue is refused with 400 and scimType "invalidCursor".',
    async run(context) {
      expectScimError(
        await page(context, { cursor: `${context.prefix}-not-a-cursor`, count: 1 }),
        400,
        'invalidCursor',
      );
    },
  }),
];
