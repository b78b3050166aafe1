import type { AttributeDefinition, ResourceTypeDefinition } from '@scimkit/schema';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { stringAttribute } from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  redactFilter,
  redactHeaders,
  redactMessage,
  redactText,
  redactUrl,
  redactValueAt,
  Secrets,
  sensitiveAttributes,
} from './redaction.js';

/** A string attribute definition with these characteristics. */
const string = (name: string, extra: Partial<AttributeDefinition> = {}) =>
  stringAttribute(name, extra) as unknown as AttributeDefinition;

/** A custom type whose secrets come from its definition only: none of them is called `password`. */
const deviceType: ResourceTypeDefinition = {
  name: 'Device',
  endpoint: '/Devices',
  schema: {
    id: 'urn:example:Device',
    attributes: [
      string('serial', { required: true }),
      string('pin', { mutability: 'writeOnly', returned: 'never' }),
      {
        ...string('keys', { multiValued: true }),
        type: 'complex',
        subAttributes: [string('label'), string('secret', { returned: 'never' })],
      },
    ],
  },
  extensions: [
    {
      required: false,
      schema: {
        id: 'urn:example:Device:Vault',
        attributes: [string('recoveryCode', { mutability: 'writeOnly', returned: 'never' }), string('owner')],
      },
    },
  ],
};

const sensitive = sensitiveAttributes([userResourceType, groupResourceType, deviceType]);

function redact(value: unknown) {
  const secrets = new Secrets();
  return { value: redactMessage(sensitive, value, secrets), secrets };
}

describe('sensitiveAttributes', () => {
  it('collects writeOnly and returned-never attributes from the definitions, sub-attributes and extensions included', () => {
    expect([...sensitive.core].sort()).toEqual(['keys.secret', 'password', 'pin']);
    expect([...(sensitive.extensions.get('urn:example:device:vault') ?? [])]).toEqual(['recoverycode']);
    expect([...sensitive.names].sort()).toEqual(['password', 'pin', 'recoverycode', 'secret']);
    expect([...sensitive.anywhere].sort()).toEqual(['password', 'pin', 'recoverycode']);
  });

  it('finds nothing to hide in types without such attributes', () => {
    const none = sensitiveAttributes([groupResourceType]);
    expect(none.core.size).toBe(0);
    expect(redactMessage(none, { displayName: 'x', password: 'kept' }, new Secrets())).toEqual({
      displayName: 'x',
      password: 'kept',
    });
  });
});

describe('redactMessage', () => {
  it('hides sensitive attributes of a resource, in any case, bare or fully qualified', () => {
    const { value } = redact({
      userName: 'bjensen',
      PassWord: 'hunter2-secret',
      'urn:ietf:params:scim:schemas:core:2.0:User:password': 'qualified-secret',
      keys: [{ label: 'a', secret: 's3cr3t-value' }],
      'urn:example:Device:Vault': { recoveryCode: 'code-1234', owner: 'ops' },
      'urn:example:Device:Vault:recoveryCode': 'code-5678',
    });
    expect(value).toEqual({
      userName: 'bjensen',
      PassWord: REDACTED,
      'urn:ietf:params:scim:schemas:core:2.0:User:password': REDACTED,
      keys: [{ label: 'a', secret: REDACTED }],
      'urn:example:Device:Vault': { recoveryCode: REDACTED, owner: 'ops' },
      'urn:example:Device:Vault:recoveryCode': REDACTED,
    });
  });

  it('hides PATCH values by path, in path-less values, and under a parent path', () => {
    const { value } = redact({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'password', value: 'by-path-secret' },
        {
          op: 'replace',
          path: 'urn:ietf:params:scim:schemas:core:2.0:User:password',
          value: 'urn-path-secret',
        },
        { op: 'add', value: { password: 'pathless-secret', displayName: 'B' } },
        { op: 'add', path: 'keys', value: [{ label: 'k', secret: 'nested-secret' }] },
        { op: 'add', path: 'keys[label eq "k"].secret', value: 'filtered-secret' },
        { op: 'replace', path: 'urn:example:Device:Vault:recoveryCode', value: 'extension-secret' },
        { op: 'replace', path: 'displayName', value: 'visible' },
      ],
    });
    expect(
      (value as { Operations: { value: unknown }[] }).Operations.map((operation) => operation.value),
    ).toEqual([
      REDACTED,
      REDACTED,
      { password: REDACTED, displayName: 'B' },
      [{ label: 'k', secret: REDACTED }],
      REDACTED,
      REDACTED,
      'visible',
    ]);
  });

  it('hides a PATCH value whose unparsable path names a sensitive attribute', () => {
    const { value } = redact({
      Operations: [{ op: 'replace', path: 'password[', value: 'broken-path-secret' }],
    });
    expect(JSON.stringify(value)).not.toContain('broken-path-secret');
  });

  it('hides bulk data (resources and PatchOps) and responses, list resources and SearchRequest filters', () => {
    const { value } = redact({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'x', password: 'bulk-secret' } },
        {
          method: 'PATCH',
          path: '/Users/1',
          data: { Operations: [{ op: 'replace', path: 'password', value: 'bulk-patch-secret' }] },
        },
      ],
    });
    const text = JSON.stringify(value);
    expect(text).not.toContain('bulk-secret');
    expect(text).not.toContain('bulk-patch-secret');
    expect(text).toContain('"userName":"x"');

    const list = redact({ totalResults: 1, Resources: [{ id: '1', pin: '0000-pin' }] }).value;
    expect(list).toEqual({ totalResults: 1, Resources: [{ id: '1', pin: REDACTED }] });

    const search = redact({ filter: 'password eq "search-secret"', attributes: ['userName'] }).value;
    expect(search).toEqual({ filter: `password eq "${REDACTED}"`, attributes: ['userName'] });
  });

  it('remembers every value it took out, so their echoes can be scrubbed', () => {
    const { secrets } = redact({ password: 'hunter2-secret', pin: 1234567 });
    expect(secrets.scrub('detail: "hunter2-secret" and 1234567')).toBe(
      `detail: "${REDACTED}" and ${REDACTED}`,
    );
    expect(secrets.scrub('{"a":"hunter2-secret"}')).toBe(`{"a":"${REDACTED}"}`);
  });

  it('hides a top-level sensitive name under any key, and keeps __proto__ and constructor keys as plain data', () => {
    const { value } = redact(JSON.parse('{"__proto__":{"password":"proto-secret"},"constructor":"x"}'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe(`{"__proto__":{"password":"${REDACTED}"},"constructor":"x"}`);
  });
});

describe('redactFilter', () => {
  it('hides the values compared to sensitive attributes, inside value paths too', () => {
    const secrets = new Secrets();
    expect(
      redactFilter(
        sensitive,
        'userName eq "b" and PASSWORD eq "filter-secret" or keys[secret sw "key-secret"]',
        secrets,
      ),
    ).toBe(`userName eq "b" and PASSWORD eq "${REDACTED}" or keys[secret sw "${REDACTED}"]`);
    expect(secrets.scrub('filter-secret key-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('cuts a filter that does not tokenise after the first sensitive name', () => {
    const secrets = new Secrets();
    expect(redactFilter(sensitive, 'password eq "unclosed-secret', secrets)).toBe(`password ${REDACTED}`);
    expect(secrets.scrub('found "unclosed-secret"')).not.toContain('unclosed-secret');
  });

  it('leaves filters on other attributes alone', () => {
    expect(redactFilter(sensitive, 'userName eq "bjensen"', new Secrets())).toBe('userName eq "bjensen"');
  });
});

describe('redactUrl', () => {
  it('decodes the path and query and hides credential parameters and sensitive filter values', () => {
    const url = new URL(
      'http://x/scim/v2/Users?filter=password%20eq%20%22url-secret%22&access_token=tok-123456&api_key=k-123456&count=10',
    );
    const secrets = new Secrets();
    expect(redactUrl(sensitive, url, secrets)).toBe(
      `/scim/v2/Users?filter=password eq "${REDACTED}"&access_token=${REDACTED}&api_key=${REDACTED}&count=10`,
    );
    expect(secrets.scrub('tok-123456 k-123456 url-secret')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('keeps a malformed escape as it was', () => {
    expect(redactUrl(sensitive, new URL('http://x/a?q=%E0%A4%A'), new Secrets())).toBe('/a?q=%E0%A4%A');
  });
});

describe('redactHeaders', () => {
  it('keeps the scheme of Authorization and hides cookies and API keys', () => {
    const secrets = new Secrets();
    const headers = new Headers({
      authorization: 'Bearer header-token',
      cookie: 'sid=cookie-value',
      'x-api-key': 'api-key-value',
      'content-type': 'application/scim+json',
    });
    expect(redactHeaders(headers, secrets)).toEqual([
      ['authorization', `Bearer ${REDACTED}`],
      ['content-type', 'application/scim+json'],
      ['cookie', REDACTED],
      ['x-api-key', REDACTED],
    ]);
    expect(secrets.scrub('header-token')).toBe(REDACTED);
  });

  it('hides an Authorization value without a known scheme entirely (it may be the token itself)', () => {
    expect(redactHeaders(new Headers({ authorization: 'raw-token-value trailing' }), new Secrets())).toEqual([
      ['authorization', REDACTED],
    ]);
  });
});

describe('redactText', () => {
  it('hides sensitive values in text that is not JSON', () => {
    const secrets = new Secrets();
    expect(redactText(sensitive, '{"userName":"b","password":"text-secret", "pin": 1234', secrets)).toBe(
      `{"userName":"b","password":"${REDACTED}", "pin": "${REDACTED}"`,
    );
    expect(redactText(sensitive, 'userName=b&password=form-secret', secrets)).toBe(
      `userName=b&password=${REDACTED}`,
    );
    expect(secrets.scrub('text-secret form-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });
});

describe('redactValueAt', () => {
  it('redacts a value found at a diff path', () => {
    const secrets = new Secrets();
    expect(redactValueAt(sensitive, 'password', 'diff-secret', secrets)).toBe(REDACTED);
    expect(redactValueAt(sensitive, 'keys[value eq "a"].secret', 'x-secret', secrets)).toBe(REDACTED);
    expect(redactValueAt(sensitive, 'keys[0]', { label: 'l', secret: 'y-secret' }, secrets)).toEqual({
      label: 'l',
      secret: REDACTED,
    });
    expect(
      redactValueAt(sensitive, 'urn:example:Device:Vault', { recoveryCode: 'z-secret' }, secrets),
    ).toEqual({
      recoveryCode: REDACTED,
    });
    expect(redactValueAt(sensitive, 'urn:example:Device:Vault:recoveryCode', 'w-secret', secrets)).toBe(
      REDACTED,
    );
    expect(redactValueAt(sensitive, 'userName', 'visible', secrets)).toBe('visible');
  });
});
