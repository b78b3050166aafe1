/**
 * A recursive-descent parser for SCIM filters (RFC 7644 3.4.2.2 with errata), PATCH paths
 * (3.5.2), attribute lists and `sortBy`. Recursion happens only at `(`, `not (` and `[`, and
 * is bounded by `maxDepth`; `and`/`or` chains are parsed in loops.
 */
import type {
  AttributePath,
  ComparisonOperator,
  Filter,
  FilterValue,
  Location,
  PatchPath,
  ValuePathFilter,
} from './ast.js';
import { describeText, type FilterErrorType, type FilterSyntaxError, syntaxError } from './errors.js';
import {
  CHAR_CLASS,
  COMMA,
  DOT,
  EOF,
  isWordPart,
  LBRACKET,
  Lexer,
  LPAREN,
  NAME_PART,
  NUMBER,
  RBRACKET,
  RPAREN,
  STRING,
  WORD,
  WORD_START,
} from './lexer.js';

/** Options of {@link parseFilter} and {@link parsePath}. */
export interface ParseOptions {
  /**
   * Accept what identity providers send outside the ABNF: an attribute after a value path
   * (`emails[type eq "work"].value eq "x"`, Microsoft Entra ID), unquoted values
   * (`externalId eq abc`), `True`/`False`/`NULL` in any case, and runs of whitespace.
   * @defaultValue false
   */
  lenient?: boolean;
  /** Longest accepted text, in UTF-16 code units. @defaultValue 8192 */
  maxLength?: number;
  /**
   * Deepest accepted nesting of `(`, `not (` and `[`. Values above {@link MAX_DEPTH_CEILING}
   * (`Infinity` and `NaN` too) count as the ceiling: parsing, printing and evaluating recurse
   * once per level, and deeper input could overflow the call stack.
   * @defaultValue 64
   */
  maxDepth?: number;
}

/** The default of {@link ParseOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 8192;
/** The default of {@link ParseOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 64;
/**
 * The deepest nesting any parse accepts, whatever {@link ParseOptions.maxDepth} says: deep
 * enough for any real filter, shallow enough that the recursion of the parser, the printer, the
 * evaluator and SQL translation stays far from Node's stack limit (about 2,000 levels of
 * parentheses overflow it).
 */
export const MAX_DEPTH_CEILING = 256;

const OPERATOR_LIST = 'an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)';
const VALUE_LIST = 'a value (a string in double quotes, a number, true, false or null)';

function loc(start: number, end: number): Location {
  return { start, end };
}

function isAttrNameStart(code: number): boolean {
  return (CHAR_CLASS[code]! & WORD_START) !== 0;
}

function isAttrNamePart(code: number): boolean {
  return (CHAR_CLASS[code]! & NAME_PART) !== 0;
}

/** Whether `input[start..end)` equals the lower-case keyword `keyword`, ignoring ASCII case. */
function wordIs(input: string, start: number, end: number, keyword: string): boolean {
  if (end - start !== keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if ((input.charCodeAt(start + i) | 0x20) !== keyword.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `input[start..end)` is exactly `keyword` (lower case). */
function wordIsExact(input: string, start: number, end: number, keyword: string): boolean {
  return end - start === keyword.length && input.startsWith(keyword, start);
}

/** The comparison operator or `pr` spelled at `input[start..end)`, or undefined. */
function operatorAt(input: string, start: number, end: number): ComparisonOperator | 'pr' | undefined {
  if (end - start !== 2) return undefined;
  const a = input.charCodeAt(start) | 0x20;
  const b = input.charCodeAt(start + 1) | 0x20;
  switch (a) {
    case 0x65: // e
      return b === 0x71 ? 'eq' : b === 0x77 ? 'ew' : undefined;
    case 0x6e: // n
      return b === 0x65 ? 'ne' : undefined;
    case 0x63: // c
      return b === 0x6f ? 'co' : undefined;
    case 0x73: // s
      return b === 0x77 ? 'sw' : undefined;
    case 0x67: // g
      return b === 0x74 ? 'gt' : b === 0x65 ? 'ge' : undefined;
    case 0x6c: // l
      return b === 0x74 ? 'lt' : b === 0x65 ? 'le' : undefined;
    case 0x70: // p
      return b === 0x72 ? 'pr' : undefined;
  }
  return undefined;
}

class Parser {
  // Fields are declared and set in the constructor (no class-field defines) for speed.
  declare private readonly input: string;
  declare private readonly lexer: Lexer;
  declare private readonly lenient: boolean;
  declare private readonly maxDepth: number;
  declare private readonly scimType: FilterErrorType;
  declare private depth: number;
  /** End of the last consumed token. */
  declare private previousEnd: number;

  constructor(input: unknown, options: ParseOptions | undefined, scimType: FilterErrorType) {
    this.scimType = scimType;
    this.depth = 0;
    this.previousEnd = 0;
    if (typeof input !== 'string') {
      throw syntaxError('', 0, input === null ? 'null' : typeof input, 'a string', scimType);
    }
    this.input = input;
    let maxLength = DEFAULT_MAX_LENGTH;
    if (options === undefined) {
      this.lenient = false;
      this.maxDepth = DEFAULT_MAX_DEPTH;
    } else {
      this.lenient = options.lenient === true;
      const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
      this.maxDepth = Number.isNaN(maxDepth) ? MAX_DEPTH_CEILING : Math.min(maxDepth, MAX_DEPTH_CEILING);
      maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    }
    if (input.length > maxLength) {
      throw syntaxError(
        input,
        maxLength,
        `${input.length} characters`,
        `at most ${maxLength} characters`,
        scimType,
      );
    }
    this.lexer = new Lexer(input, this.lenient, scimType);
    this.lexer.next();
  }

  // ---- error helpers -------------------------------------------------------------------

  private found(): string {
    const lexer = this.lexer;
    return lexer.kind === EOF ? 'end of input' : describeText(this.input, lexer.start, lexer.end);
  }

  private expected(what: string): FilterSyntaxError {
    return syntaxError(this.input, this.lexer.start, this.found(), what, this.scimType);
  }

  private unexpected(reason?: string): FilterSyntaxError {
    return syntaxError(this.input, this.lexer.start, this.found(), undefined, this.scimType, reason);
  }

  private expect(kind: number, what: string): number {
    if (this.lexer.kind !== kind) throw this.expected(what);
    const end = this.lexer.end;
    this.lexer.next();
    return end;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) {
      throw syntaxError(
        this.input,
        this.lexer.start,
        this.found(),
        `at most ${this.maxDepth} levels of nesting`,
        this.scimType,
      );
    }
  }

  // ---- entry points --------------------------------------------------------------------

  expectEnd(what: string): void {
    if (this.lexer.kind !== EOF) throw this.expected(what);
  }

  filter(): Filter {
    const filter = this.parseOr(false);
    this.expectEnd('"and", "or" or end of input');
    return filter;
  }

  path(): PatchPath {
    const lexer = this.lexer;
    const start = lexer.start;
    const path = this.attributePath();
    if (lexer.kind !== LBRACKET) {
      this.expectEnd('"[" or end of input');
      return { kind: 'PatchPath', path, loc: loc(start, path.loc!.end) };
    }
    const valuePath = this.valuePath(path);
    let end = valuePath.loc!.end;
    let subAttribute: string | undefined;
    if (lexer.kind === DOT) {
      lexer.next();
      subAttribute = this.attributeName();
      end = this.previousEnd;
    }
    this.expectEnd(subAttribute === undefined ? '"." or end of input' : 'end of input');
    return {
      kind: 'PatchPath',
      path: valuePath.path,
      valueFilter: valuePath.filter,
      ...(subAttribute === undefined ? {} : { subAttribute }),
      loc: loc(start, end),
    };
  }

  attributeList(): AttributePath[] {
    const lexer = this.lexer;
    const paths: AttributePath[] = [];
    if (lexer.kind === EOF) return paths;
    for (;;) {
      paths.push(this.attributePath());
      if (lexer.kind === EOF) return paths;
      this.expect(COMMA, '"," or end of input');
    }
  }

  sortBy(): AttributePath {
    const path = this.attributePath();
    this.expectEnd('end of input');
    return path;
  }

  // ---- filters -------------------------------------------------------------------------

  private advance(): void {
    this.previousEnd = this.lexer.end;
    this.lexer.next();
  }

  private parseOr(inValuePath: boolean): Filter {
    const lexer = this.lexer;
    const input = this.input;
    const start = lexer.start;
    let left = this.parseAnd(inValuePath);
    while (lexer.kind === WORD && wordIs(input, lexer.start, lexer.end, 'or')) {
      this.advance();
      const right = this.parseAnd(inValuePath);
      left = { kind: 'Or', left, right, loc: loc(start, this.previousEnd) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): Filter {
    const lexer = this.lexer;
    const input = this.input;
    const start = lexer.start;
    let left = this.parseUnary(inValuePath);
    while (lexer.kind === WORD && wordIs(input, lexer.start, lexer.end, 'and')) {
      this.advance();
      const right = this.parseUnary(inValuePath);
      left = { kind: 'And', left, right, loc: loc(start, this.previousEnd) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Filter {
    const lexer = this.lexer;
    const input = this.input;
    if (lexer.kind === LPAREN) {
      this.enter();
      this.advance();
      const inner = this.parseOr(inValuePath);
      this.previousEnd = this.expect(RPAREN, '"and", "or" or ")"');
      this.depth--;
      return inner;
    }
    if (lexer.kind === WORD) {
      if (wordIs(input, lexer.start, lexer.end, 'not')) {
        const after = lexer.skipSpace(lexer.end);
        const next = input.charCodeAt(after);
        if (next === 0x28) {
          const start = lexer.start;
          this.enter();
          this.advance();
          this.advance(); // (
          const inner = this.parseOr(inValuePath);
          const end = this.expect(RPAREN, '"and", "or" or ")"');
          this.previousEnd = end;
          this.depth--;
          return { kind: 'Not', filter: inner, loc: loc(start, end) };
        }
        if (!this.nextIsOperatorOrBracket(after)) {
          this.advance();
          throw this.expected('"("');
        }
      }
      return this.attributeExpression(inValuePath);
    }
    throw this.expected('an attribute path, "(" or "not"');
  }

  /** Whether the word at `position` is an operator or `[` (so a preceding `not` is an attribute name). */
  private nextIsOperatorOrBracket(position: number): boolean {
    const input = this.input;
    if (input.charCodeAt(position) === 0x5b) return true;
    let end = position;
    while (end < input.length && isWordPart(input.charCodeAt(end))) end++;
    return operatorAt(input, position, end) !== undefined;
  }

  private attributeExpression(inValuePath: boolean): Filter {
    const lexer = this.lexer;
    const path = this.attributePath();
    if (lexer.kind === LBRACKET) {
      if (inValuePath) throw this.unexpected('value paths cannot be nested');
      const valuePath = this.valuePath(path);
      if (lexer.kind !== DOT) return valuePath;
      if (!this.lenient) {
        throw this.unexpected('an attribute after a value path is accepted only in lenient mode');
      }
      // Entra ID: emails[type eq "work"].value eq "x" → emails[type eq "work" and value eq "x"]
      this.advance();
      const subStart = lexer.start;
      const subAttribute = this.attributeName();
      const subPath: AttributePath = {
        kind: 'AttributePath',
        attribute: subAttribute,
        loc: loc(subStart, this.previousEnd),
      };
      const condition = this.condition(subPath);
      return {
        kind: 'ValuePath',
        path: valuePath.path,
        filter: {
          kind: 'And',
          left: valuePath.filter,
          right: condition,
          loc: loc(valuePath.filter.loc!.start, condition.loc!.end),
        },
        loc: loc(valuePath.loc!.start, condition.loc!.end),
      };
    }
    return this.condition(path);
  }

  /** `[ valFilter ]` after `path`; the current token is `[`. */
  private valuePath(path: AttributePath): ValuePathFilter {
    if (path.subAttribute !== undefined) {
      throw this.unexpected('a value path applies to an attribute, not to a sub-attribute');
    }
    this.enter();
    this.advance();
    const filter = this.parseOr(true);
    const end = this.expect(RBRACKET, '"and", "or" or "]"');
    this.previousEnd = end;
    this.depth--;
    return { kind: 'ValuePath', path, filter, loc: loc(path.loc!.start, end) };
  }

  /** `op value` or `pr` after `path`. */
  private condition(path: AttributePath): Filter {
    const lexer = this.lexer;
    const input = this.input;
    if (lexer.kind !== WORD) throw this.expected(OPERATOR_LIST);
    const operator = operatorAt(input, lexer.start, lexer.end);
    if (operator === undefined) throw this.expected(OPERATOR_LIST);
    const start = path.loc!.start;
    if (operator === 'pr') {
      this.advance();
      return { kind: 'Present', path, loc: loc(start, this.previousEnd) };
    }
    this.advance();
    const value = this.value();
    return { kind: 'Comparison', path, operator, value, loc: loc(start, this.previousEnd) };
  }

  private value(): FilterValue {
    const lexer = this.lexer;
    const input = this.input;
    const kind = lexer.kind;
    if (kind === STRING || kind === NUMBER) {
      const value = lexer.value;
      this.advance();
      return value;
    }
    if (kind === WORD) {
      const { start, end } = lexer;
      const match = this.lenient ? wordIs : wordIsExact;
      if (match(input, start, end, 'true')) {
        this.advance();
        return true;
      }
      if (match(input, start, end, 'false')) {
        this.advance();
        return false;
      }
      if (match(input, start, end, 'null')) {
        this.advance();
        return null;
      }
    }
    if (this.lenient && kind !== EOF && kind !== RPAREN && kind !== RBRACKET) {
      // An unquoted value runs to the next whitespace, ")" or "]".
      const start = lexer.start;
      let end = start;
      while (end < input.length) {
        const code = input.charCodeAt(end);
        if (
          code === 0x20 ||
          code === 0x09 ||
          code === 0x0a ||
          code === 0x0d ||
          code === 0x29 ||
          code === 0x5d
        ) {
          break;
        }
        end++;
      }
      lexer.reset(end);
      this.advance();
      return input.slice(start, end);
    }
    throw this.expected(VALUE_LIST);
  }

  // ---- paths ---------------------------------------------------------------------------

  /** A single attribute name (after `].`), as a word token. */
  private attributeName(): string {
    const lexer = this.lexer;
    if (lexer.kind !== WORD) throw this.expected('a sub-attribute name');
    const input = this.input;
    const { start, end } = lexer;
    this.checkName(start, end, 'a sub-attribute name');
    const stop = this.scanName(start, end);
    if (stop !== end) throw this.charError(stop, undefined, end);
    this.advance();
    return input.slice(start, end);
  }

  private checkName(start: number, end: number, what: string): void {
    if (start >= end || !isAttrNameStart(this.input.charCodeAt(start))) {
      throw this.charError(start, what, end);
    }
  }

  /** Offset of the first character in `start..end` that is not a name character. */
  private scanName(start: number, end: number): number {
    const input = this.input;
    let position = start + 1;
    while (position < end && isAttrNamePart(input.charCodeAt(position))) position++;
    return position;
  }

  /** An error at one character of the current word: expected `what` (or unexpected when omitted). */
  private charError(
    position: number,
    what: string | undefined,
    tokenEnd: number,
    reason?: string,
  ): FilterSyntaxError {
    const input = this.input;
    const found =
      position >= tokenEnd ? this.describeAfter(tokenEnd) : describeText(input, position, position + 1);
    return syntaxError(input, position, found, what, this.scimType, reason);
  }

  private describeAfter(position: number): string {
    const input = this.input;
    if (position >= input.length) return 'end of input';
    const code = input.charCodeAt(position);
    return code === 0x20 ? '" "' : describeText(input, position, position + 1);
  }

  /** `[urn ":"] name ["." subName]` from the current word token (the lexer noted its colons and dots). */
  private attributePath(): AttributePath {
    const lexer = this.lexer;
    if (lexer.kind !== WORD) throw this.expected('an attribute path');
    const input = this.input;
    const { start, end, lastColon, firstDot } = lexer;
    let nameStart = start;
    let schema: string | undefined;
    if (lastColon >= 0) {
      if (!wordIs(input, start, start + 4, 'urn:')) {
        throw this.charError(lexer.firstColon, undefined, end, 'a schema URN starts with "urn:"');
      }
      if (lastColon === start + 3 || input.charCodeAt(start + 4) === 0x3a) {
        throw this.charError(start + 4, 'a schema URN', end);
      }
      schema = input.slice(start, lastColon);
      nameStart = lastColon + 1;
    }
    this.checkName(nameStart, end, 'an attribute name');
    let attribute: string;
    let subAttribute: string | undefined;
    if (firstDot < 0) {
      attribute = nameStart === start ? input.slice(start, end) : input.slice(nameStart, end);
    } else {
      this.checkName(firstDot + 1, end, 'a sub-attribute name');
      if (lexer.dots > 1) {
        const second = input.indexOf('.', firstDot + 1);
        throw this.charError(second, undefined, end, 'paths have at most one sub-attribute');
      }
      attribute = input.slice(nameStart, firstDot);
      subAttribute = input.slice(firstDot + 1, end);
    }
    this.advance();
    const loc = { start, end };
    // Literal shapes keep the key order of the AST interface without spreads.
    if (schema === undefined) {
      return subAttribute === undefined
        ? { kind: 'AttributePath', attribute, loc }
        : { kind: 'AttributePath', attribute, subAttribute, loc };
    }
    return subAttribute === undefined
      ? { kind: 'AttributePath', schema, attribute, loc }
      : { kind: 'AttributePath', schema, attribute, subAttribute, loc };
  }
}

/**
 * Parses a SCIM filter (RFC 7644 3.4.2.2 with errata 4690 and 7319) into an AST whose nodes
 * carry their positions in `loc`. Keywords and operators are case-insensitive; `and` binds
 * tighter than `or`.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidFilter`) with the position of the problem.
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 *
 * const filter = parseFilter('emails[type eq "work" and value co "@example.com"] or userName sw "j"');
 * filter.kind; // 'Or'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function parseFilter(text: string, options?: ParseOptions): Filter {
  return new Parser(text, options, 'invalidFilter').filter();
}

/**
 * Parses a PATCH operation path: `attrPath` or `valuePath["." subAttribute]`, such as
 * `members[value eq "2819c223"]` or `emails[type eq "work"].value`.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`), also for problems inside the brackets.
 * @example
 * ```ts
 * import { parsePath } from '@scimkit/filter';
 *
 * const path = parsePath('emails[type eq "work"].value');
 * path.subAttribute; // 'value'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function parsePath(text: string, options?: ParseOptions): PatchPath {
  return new Parser(text, options, 'invalidPath').path();
}

/**
 * Parses the comma-separated attribute paths of the `attributes` and `excludedAttributes`
 * query parameters. An empty text gives an empty list.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`).
 * @example
 * ```ts
 * import { parseAttributeList } from '@scimkit/filter';
 *
 * parseAttributeList('userName,name.givenName').map((path) => path.attribute); // ['userName', 'name']
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 */
export function parseAttributeList(text: string, options?: ParseOptions): AttributePath[] {
  return new Parser(text, options, 'invalidPath').attributeList();
}

/**
 * Parses the `sortBy` query parameter: one attribute path.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`).
 * @example
 * ```ts
 * import { parseSortBy } from '@scimkit/filter';
 *
 * parseSortBy('name.familyName').subAttribute; // 'familyName'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3
 */
export function parseSortBy(text: string, options?: ParseOptions): AttributePath {
  return new Parser(text, options, 'invalidPath').sortBy();
}

/** The result of a `safe*` parse: the value, or the error instead of a throw. */
export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: FilterSyntaxError };

/**
 * {@link parseFilter} without throwing: `{ success: true, data }` or `{ success: false, error }`.
 *
 * @example
 * ```ts
 * import { safeParseFilter } from '@scimkit/filter';
 *
 * function checkFilter(url: URL): Response | undefined {
 *   const result = safeParseFilter(url.searchParams.get('filter') ?? '');
 *   if (!result.success) return Response.json(result.error.toJSON(), { status: 400 });
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function safeParseFilter(text: string, options?: ParseOptions): SafeParseResult<Filter> {
  try {
    return { success: true, data: parseFilter(text, options) };
  } catch (error) {
    return { success: false, error: error as FilterSyntaxError };
  }
}

/**
 * {@link parsePath} without throwing: `{ success: true, data }` or `{ success: false, error }`.
 *
 * @example
 * ```ts
 * import { safeParsePath } from '@scimkit/filter';
 *
 * const result = safeParsePath('emails[type eq "work"].value');
 * if (result.success) console.log(result.data.subAttribute);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function safeParsePath(text: string, options?: ParseOptions): SafeParseResult<PatchPath> {
  try {
    return { success: true, data: parsePath(text, options) };
  } catch (error) {
    return { success: false, error: error as FilterSyntaxError };
  }
}
