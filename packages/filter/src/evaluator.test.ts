import { describe, expect, it } from 'vitest';
import { errorOf } from './__fixtures__/error-of.js';
import { users } from './__fixtures__/resources.js';
import { deviceSchema, enterpriseSchema, schemas, userSchema } from './__fixtures__/schemas.js';
import { and, eq, pr, valuePath } from './builder.js';
import { FilterSyntaxError } from './errors.js';
import { type CompileOptions, compileFilter } from './evaluator.js';
import { parseFilter } from './parser.js';
import {
  comparesAsDateTime,
  type FilterAttributeDefinition,
  type FilterSchemaDefinition,
} from './schema-index.js';

type Name = keyof typeof users;

function matching(filter: string, options: CompileOptions = { schemas }): Name[] {
  const predicate = compileFilter(filter, options);
  return (Object.keys(users) as Name[]).filter((name) => predicate(users[name]));
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('compileFilter', () => {
  // [filter, users matching with schemas, users matching without schemas (when different)]
  const table: [string, Name[], Name[]?][] = [
    // RFC 7644 3.4.2.2 examples
    ['userName eq "bjensen@example.com"', ['bjensen']],
    ['name.familyName co "O\'Malley"', ['bjensen']],
    ['userName sw "J"', ['jsmith']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['jsmith']],
    ['title pr', ['bjensen']],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', ['jsmith']],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', ['bjensen', 'jsmith'], ['bjensen', 'jsmith']],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', [], []],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', ['bjensen'], ['bjensen']],
    ['title pr and userType eq "Employee"', ['bjensen']],
    ['title pr or userType eq "Intern"', ['bjensen']],
    [`schemas eq "${ENTERPRISE}"`, ['bjensen']],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['bjensen']],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', []],
    ['userType eq "Employee" and (emails.type eq "work")', ['bjensen']],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['bjensen']],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      ['bjensen'],
    ],
    // attribute names and URNs in any casing, on either side
    ['USERNAME EQ "jsmith"', ['jsmith']],
    ['name.givenName eq "john"', ['jsmith']],
    [`${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "1001"`, ['jsmith']],
    // caseExact
    ['badge eq "gold"', [], ['bjensen']],
    ['badge eq "Gold"', ['bjensen']],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', [], ['bjensen']],
    ['externalId eq "bjensen"', ['bjensen']],
    ['urn:acme:scim:ext:2.0:Device:serial eq "sn-001"', [], ['bjensen']],
    // dateTime: offsets and fractional seconds
    ['meta.lastModified eq "2011-05-13T04:42:34.500Z"', ['jsmith'], []],
    ['meta.lastModified eq "2011-05-13T06:42:34+02:00"', ['bjensen'], []],
    ['meta.lastModified gt "2011-05-13T04:42:34.4999999Z"', ['jsmith'], ['bjensen', 'jsmith']],
    ['urn:acme:scim:ext:2.0:Device:enrolled eq "2020-03-01T00:30:00.123456789Z"', ['bjensen'], []],
    ['urn:acme:scim:ext:2.0:Device:enrolled lt "2020-03-01T00:30:00.12345679Z"', ['bjensen']],
    ['urn:acme:scim:ext:2.0:Device:enrolled gt "2020-03-01T00:30:00.123456788Z"', ['bjensen'], []],
    ['meta.created co "2010"', ['bjensen']],
    // numbers
    ['loginCount gt 10', ['bjensen']],
    ['loginCount le 0', ['jsmith']],
    ['loginCount eq 42.0', ['bjensen']],
    ['score ge 9.5e0', ['bjensen']],
    ['loginCount eq "42"', []],
    // booleans
    ['active eq true', ['bjensen']],
    ['active eq false', ['jsmith']],
    ['active ne true', ['jsmith']],
    // multi-valued: any value; complex without sub-attribute compares value
    ['tags eq "GREEN"', ['bjensen']],
    ['emails co "JENSEN.ORG"', ['bjensen']],
    ['emails eq "john@example.org"', ['jsmith']],
    ['emails.type eq "work" and emails.value co "jensen.org"', ['bjensen']],
    ['emails[type eq "work" and value co "jensen.org"]', []],
    ['emails[type eq "home" and value co "jensen.org"]', ['bjensen']],
    ['emails[not (type eq "work")]', ['bjensen', 'jsmith']],
    ['emails.type ne "work"', ['bjensen', 'jsmith']],
    ['addresses[type eq "work" and primary eq true]', ['bjensen']],
    // extensions by URN, and unqualified extension names
    [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, ['bjensen']],
    [`${ENTERPRISE}:manager pr`, ['bjensen']],
    ['employeeNumber pr', ['bjensen', 'jsmith'], []],
    ['manager.displayName sw "john"', ['bjensen'], []],
    // pr: null, empty string, empty array and empty object are absent
    ['emails pr', ['bjensen', 'jsmith']],
    ['name pr', ['bjensen', 'jsmith']],
    ['emails.value pr', ['bjensen', 'jsmith']],
    ['not (title pr)', ['jsmith', 'empty']],
    // null
    ['title eq null', ['jsmith', 'empty']],
    ['title ne null', ['bjensen']],
    // unknown attributes never match (with schemas)
    ['nosuch eq "x"', []],
    ['nosuch pr', []],
    ['not (nosuch pr)', ['bjensen', 'jsmith', 'empty']],
    ['name.nosuch pr', []],
    ['userName.value pr', []],
    ['urn:example:nosuch:2.0:User:x pr', []],
    ['nosuch[type pr]', []],
    ['emails[nosuch pr]', []],
    ['userName[value pr]', []],
    // inherited names are not attributes
    ['toString pr or constructor pr or hasOwnProperty pr or valueOf eq "x"', []],
    // lexicographic strings
    ['userName gt "j"', ['jsmith']],
    ['userName lt "C"', ['bjensen']],
  ];

  it.each(table)('evaluates %s', (filter, withSchemas, withoutSchemas) => {
    expect(matching(filter)).toEqual(withSchemas);
    expect(matching(filter, {})).toEqual(withoutSchemas ?? withSchemas);
  });

  it('compiles an AST from the builder', () => {
    const predicate = compileFilter(
      and(eq('userName', 'BJENSEN@example.com'), valuePath('emails', pr('primary'))),
      { schemas },
    );
    expect(predicate(users.bjensen)).toBe(true);
    expect(predicate(users.jsmith)).toBe(false);
  });

  it('resolves unqualified names in resourceSchema', () => {
    const options = { schemas: [enterpriseSchema, userSchema], resourceSchema: userSchema.id };
    expect(matching('userName eq "empty"', options)).toEqual(['empty']);
  });

  it('does not resolve unqualified names in the core schema of another resource type', () => {
    const groupSchema = {
      id: 'urn:ietf:params:scim:schemas:core:2.0:Group',
      attributes: [{ name: 'members', type: 'complex', multiValued: true, subAttributes: [] }] as const,
    };
    const predicate = compileFilter('members pr', { schemas: [userSchema, groupSchema] });
    expect(predicate({ 'urn:ietf:params:scim:schemas:core:2.0:Group': { members: [{ value: 'x' }] } })).toBe(
      false,
    );
  });

  it('reuses the index of a schema list, and sees an attribute added to it later', () => {
    const attributes: FilterAttributeDefinition[] = [
      { name: 'serial', type: 'string', multiValued: false, caseExact: true },
    ];
    const list: FilterSchemaDefinition[] = [{ id: 'urn:acme:scim:schemas:2.0:Thing', attributes }];
    expect(compileFilter('serial eq "X"', { schemas: list })({ serial: 'X' })).toBe(true);
    expect(compileFilter('color eq "red"', { schemas: list })({ color: 'red' })).toBe(false);
    attributes.push({ name: 'color', type: 'string', multiValued: false, caseExact: false });
    expect(compileFilter('color eq "RED"', { schemas: list })({ color: 'red' })).toBe(true);
    // Another core schema for the same list resolves its own names.
    list.push({ id: 'urn:acme:scim:schemas:2.0:Other', attributes: [] });
    const options = { schemas: list, resourceSchema: 'urn:acme:scim:schemas:2.0:Other' };
    expect(compileFilter('serial eq "X"', options)({ serial: 'X' })).toBe(false);
  });

  it('uses the first schema as the resource schema by default', () => {
    const options = { schemas: [deviceSchema] };
    expect(compileFilter('serial eq "X"', options)({ serial: 'X' })).toBe(true);
    expect(compileFilter('urn:acme:scim:ext:2.0:Device:serial eq "X"', options)({ serial: 'X' })).toBe(true);
    expect(compileFilter('serial eq "x"', options)({ serial: 'X' })).toBe(false);
  });

  it('compares Entra ID string booleans in lenient mode only', () => {
    const resource = { active: 'False' };
    expect(compileFilter('active eq false', { schemas })(resource)).toBe(false);
    expect(compileFilter('active eq false', { schemas, lenient: true })(resource)).toBe(true);
    expect(compileFilter('active ne true', { schemas, lenient: true })(resource)).toBe(true);
  });

  it('parses text with the lenient dialect when asked', () => {
    const predicate = compileFilter('emails[type eq "work"].value eq "bjensen@example.com"', {
      lenient: true,
      schemas,
    });
    expect(predicate(users.bjensen)).toBe(true);
    expect(() => compileFilter('emails[type eq "work"].value eq "x"')).toThrow(FilterSyntaxError);
  });

  it('answers false for anything that is not an object', () => {
    const predicate = compileFilter('not (userName pr)');
    expect([null, undefined, 'x', 1, []].map(predicate)).toEqual([false, false, false, false, false]);
    expect(predicate({})).toBe(true);
  });

  it('reads objects without a prototype', () => {
    const resource = Object.assign(Object.create(null) as Record<string, unknown>, { UserName: 'x' });
    expect(compileFilter('userName eq "X"', { schemas })(resource)).toBe(true);
  });

  it('never reads inherited properties', () => {
    const resource = JSON.parse('{"__proto__": {"userName": "x"}}');
    expect(compileFilter('userName pr')(resource)).toBe(false);
    expect(compileFilter('constructor pr')({ constructor: 'x' })).toBe(true);
  });

  it('evaluates a 10 000-term chain', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `tags eq "t${i}"`).join(' or ');
    const predicate = compileFilter(text, { schemas, maxLength: Number.POSITIVE_INFINITY });
    expect(predicate({ tags: ['t9999'] })).toBe(true);
    expect(predicate({ tags: ['x'] })).toBe(false);
  });

  describe('errors', () => {
    it('rejects gt on a boolean attribute with the operator position', () => {
      const error = errorOf(() => compileFilter('userName pr and active gt "x"', { schemas }));
      expect(error.message).toBe(
        'Expected eq, ne, co, sw, ew or pr for the boolean attribute "active", found "gt" at position 23.',
      );
      expect(error.position).toBe(23);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.frame).toBe('userName pr and active gt "x"\n                       ^');
    });

    it('rejects le on a binary attribute', () => {
      const error = errorOf(() => compileFilter('x509Certificates le "AAAA"', { schemas }));
      expect(error.message).toBe(
        'Expected eq, ne, co, sw, ew or pr for the binary attribute "x509Certificates", found "le" at position 17.',
      );
    });

    it('rejects ordering with a boolean or null value, also without schemas', () => {
      const error = errorOf(() => compileFilter('active lt true'));
      expect(error.message).toBe(
        'Expected a string, number or dateTime value for "lt", found true at position 10.',
      );
      expect(errorOf(() => compileFilter('title ge null')).position).toBe(9);
    });

    it('rejects a malformed dateTime compared with a dateTime attribute', () => {
      const error = errorOf(() => compileFilter('meta.created gt "yesterday"', { schemas }));
      expect(error.message).toBe(
        'Expected a dateTime value such as "2011-05-13T04:42:34Z", found "yesterday" at position 16.',
      );
    });

    it('reports position 0 for ASTs without positions', () => {
      const error = errorOf(() =>
        compileFilter(
          {
            kind: 'Comparison',
            path: { kind: 'AttributePath', attribute: 'active' },
            operator: 'gt',
            value: 1,
          },
          { schemas },
        ),
      );
      expect(error.position).toBe(0);
      expect(error.input).toBe('active gt 1');
    });

    it('passes syntax errors through', () => {
      expect(errorOf(() => compileFilter('userName eq')).position).toBe(11);
    });

    it('uses positions of the parsed text only', () => {
      const ast = parseFilter('userName pr and active gt 1');
      expect(errorOf(() => compileFilter(ast, { schemas })).position).toBe(0);
    });
  });
});

describe('compileFilter in lenient mode', () => {
  it('compares an unquoted dateTime chronologically, whatever its offset and fraction', () => {
    const lenient = { schemas, lenient: true };
    // bjensen was last modified at 2011-05-13T04:42:34Z, jsmith half a second later.
    expect(matching('meta.lastModified gt 2011-05-12T21:42:34.4999999-07:00', lenient)).toEqual(['jsmith']);
    expect(matching('meta.lastModified le 2011-05-13T06:42:34+02:00', lenient)).toEqual(['bjensen']);
    expect(matching('meta.lastModified eq 2011-05-13T04:42:34.5000000Z', lenient)).toEqual(['jsmith']);
  });
});

describe('comparesAsDateTime', () => {
  it('is true for a dateTime attribute with an equality or ordering operator', () => {
    for (const operator of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) {
      expect(comparesAsDateTime('dateTime', operator)).toBe(true);
    }
  });

  it('is false for co, sw and ew and for other types', () => {
    for (const operator of ['co', 'sw', 'ew'] as const)
      expect(comparesAsDateTime('dateTime', operator)).toBe(false);
    expect(comparesAsDateTime('string', 'gt')).toBe(false);
    expect(comparesAsDateTime(undefined, 'eq')).toBe(false);
  });
});
