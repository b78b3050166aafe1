// The recorded Entra ID and Okta cycles (the same sequences `scimkit check` runs) against
// scimkit's server on every store, with what scimkit promises beyond what the IdPs read: exact
// ETags and ListResponses, User.groups with $ref and type, versions kept by changes that change
// nothing, memberships removed with the user, read-only attributes refused on PATCH, and a
// password that cannot be probed through filters or sorting.
import {
  type Answer,
  entraIdSequence,
  Http,
  oktaSequence,
  runSequence,
  type SequenceIo,
} from '@scimkit/check/internal';
import { describe, expect, it } from 'vitest';
import { STORES, TOKEN } from './stores.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const q = (filter: string) => encodeURIComponent(filter);

/** scimkit's own promises on Entra ID's cycle, step by step. */
function entraExtras() {
  const seen = new Map<string, Answer>();
  const id = () => seen.get('create the user')?.body.id as string;
  const groupId = () => seen.get('create the group')?.body.id as string;
  return async (step: string, answer: Answer, io: SequenceIo) => {
    seen.set(step, answer);
    switch (step) {
      case 'test connection':
        expect(answer.body).toEqual({
          schemas: [LIST],
          totalResults: 0,
          startIndex: 1,
          itemsPerPage: 0,
          Resources: [],
        });
        break;
      case 'create the user':
        expect(answer.headers.get('location')).toBe(`${io.baseUrl}/Users/${answer.body.id}`);
        expect(answer.headers.get('etag')).toBe('W/"1"');
        expect(answer.body.schemas).toEqual([USER, ENTERPRISE]);
        expect(answer.body.title).toBeUndefined();
        expect(answer.body[ENTERPRISE].manager).toBeUndefined();
        break;
      case 'update the user':
        expect(answer.status).toBe(200);
        expect(answer.headers.get('etag')).toBe('W/"2"');
        break;
      case 'add members':
      case 'remove a member by value list':
        expect(answer.status).toBe(200);
        break;
      case 'list the group without members': {
        const groups = await io.send('the user lists its group', 'GET', `/Users/${id()}?attributes=groups`);
        expect(groups.body.groups).toEqual([
          {
            value: groupId(),
            $ref: `${io.baseUrl}/Groups/${groupId()}`,
            display: seen.get('create the group')?.body.displayName,
            type: 'direct',
          },
        ]);
        break;
      }
      case 'deactivate the user again': {
        // A change that changes nothing keeps the version and the modification time.
        const first = seen.get('deactivate the user');
        expect(answer.headers.get('etag')).toBe(first?.headers.get('etag'));
        expect(answer.body.meta.lastModified).toBe(first?.body.meta.lastModified);
        break;
      }
      case 'delete the user':
        expect(answer.text).toBe('');
        break;
      case 'read the deleted user': {
        // The membership went with the user.
        const group = await io.send('the group after the deletion', 'GET', `/Groups/${groupId()}`);
        expect(group.body.members).toBeUndefined();
        const byMember = await io.send(
          'groups of the deleted user',
          'GET',
          `/Groups?filter=${q(`members.value eq "${id()}"`)}`,
        );
        expect(byMember.body.totalResults).toBe(0);
        break;
      }
    }
  };
}

/** scimkit's own promises on Okta's cycle, step by step. */
function oktaExtras() {
  const seen = new Map<string, Answer>();
  const id = () => seen.get('create the user')?.body.id as string;
  return async (step: string, answer: Answer, io: SequenceIo) => {
    seen.set(step, answer);
    switch (step) {
      case 'look the user up in capitals':
        expect(answer.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
        break;
      case 'create the user again': {
        // Paging parameters at their extremes stay valid requests.
        const far = await io.send(
          'page far past the end',
          'GET',
          '/Users?startIndex=99999999999999999999&count=100',
        );
        expect(far.status).toBe(200);
        expect(far.body.Resources).toEqual([]);
        break;
      }
      case 'deactivate the user':
      case 'rename the group (path-less replace with the unchanged id)':
      case 'empty the pushed group':
        expect(answer.status).toBe(200);
        break;
      case 'replace the user with what was read': {
        expect(answer.body.groups).toBeUndefined();
        expect(answer.headers.get('etag')).toBe(answer.body.meta.version);
        // The same PUT again changes nothing and keeps the version; with the password it is a
        // write of the password all the same (an unchanged ETag would confirm the password).
        const reread = await io.send('read the user again', 'GET', `/Users/${id()}`);
        const same = await io.send('replace it with the same', 'PUT', `/Users/${id()}`, reread.body);
        expect(same.headers.get('etag')).toBe(reread.headers.get('etag'));
        const withPassword = await io.send('replace it with the same password', 'PUT', `/Users/${id()}`, {
          ...reread.body,
          password: 'Rotated-Pass-2',
        });
        expect(withPassword.headers.get('etag')).not.toBe(reread.headers.get('etag'));
        break;
      }
      case 'add the user': {
        const groupId = seen.get('push the group')?.body.id as string;
        expect(answer.body.members).toEqual([
          {
            value: id(),
            display: seen.get('create the user')?.body.userName,
            $ref: `${io.baseUrl}/Users/${id()}`,
            type: 'User',
          },
        ]);
        const user = await io.send('the user lists its group', 'GET', `/Users/${id()}`);
        expect(user.body.groups).toEqual([
          {
            value: groupId,
            $ref: `${io.baseUrl}/Groups/${groupId}`,
            display: `${io.prefix} Okta Pushed 2`,
            type: 'direct',
          },
        ]);
        break;
      }
      case 'remove the user by filter': {
        expect(answer.status).toBe(200);
        expect(answer.body.members).toBeUndefined();
        const groupPath = `/Groups/${seen.get('push the group')?.body.id}`;
        const changedId = await io.send('change the group id', 'PATCH', groupPath, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', value: { id: 'another-id', displayName: 'x' } }],
        });
        expect(changedId.status).toBe(400);
        expect(changedId.body.scimType).toBe('mutability');
        // The password never comes back, and cannot be probed through filters or sorting.
        for (const url of [
          `/Users/${id()}?attributes=password`,
          '/Users?attributes=password,userName',
          `/Users?filter=${q('password eq "Rotated-Pass-2"')}`,
          '/Users?sortBy=password&cursor=&count=1',
        ]) {
          const probe = await io.send(`probe the password: ${url}`, 'GET', url);
          expect(probe.text, url).not.toMatch(/Rotated-Pass-2|rotated-pass-2/);
          expect(probe.text, url).not.toContain('"password"');
        }
        break;
      }
    }
  };
}

describe.each(STORES)('Entra ID and Okta replays on %s over HTTP', (_name, start) => {
  for (const [sequence, extras] of [
    [entraIdSequence, entraExtras],
    [oktaSequence, oktaExtras],
  ] as const) {
    it(`replays the ${sequence.name} provisioning cycle`, async () => {
      const server = await start();
      try {
        const http = new Http({ baseUrl: server.url, token: TOKEN });
        await runSequence(sequence, { http, prefix: 'replay', hooks: { onAnswer: extras() } });
      } finally {
        await server.close();
      }
    });
  }
});
