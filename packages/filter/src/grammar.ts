/**
 * A recursive-descent parser for SCIM filters (RFC 7644 3.4.2.2 with errata), PATCH paths
 * (3.5.2), attribute lists and `sortBy`. Recursion happens only at `(`, `not (` and `[`, and
 * is bounded by `maxDepth`; `and`/`or` chains are parsed in loops.
 *
 * Each parse method is headed by the ABNF it implements. The RFC's rules (Figure 1 of 3.4.2.2)
 * are written with their names; rules the code adds to make precedence explicit (`orExp`,
 * `andExp`, `unary`) are lower case. Terminals: case-insensitive keywords and operators, `SP` a
 * single space (any whitespace run in lenient mode), JSON values as RFC 8259 defines them.
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
import { describeText, type FilterErrorType, FilterSyntaxError } from './errors.js';
import {
  COMMA,
  DOT,
  EOF,
  isAttrNamePart,
  isAttrNameStart,
  isSpace,
  isWordPart,
  type KindCode,
  LBRACKET,
  Lexer,
  LPAREN,
  NUMBER,
  RBRACKET,
  RPAREN,
  STRING,
  WORD,
} from './lexer.js';
import { DEFAULT_MAX_LENGTH, maxDepthOf, type ParseOptions } from './options.js';

const OPERATOR_LIST = 'an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)';
const VALUE_LIST = 'a value (a string in double quotes, a number, true, false or null)';

function loc(start: number, end: number): Location {
  return { start, end };
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

/** The recursive-descent parser: one instance per parse, one method per grammar rule. */
export class Parser {
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
      const found = input === null ? 'null' : typeof input;
      throw new FilterSyntaxError({ input: '', position: 0, found, expected: 'a string', scimType });
    }
    this.input = input;
    this.lenient = options?.lenient === true;
    this.maxDepth = maxDepthOf(options);
    const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
    if (input.length > maxLength) {
      throw new FilterSyntaxError({
        input,
        position: maxLength,
        found: `${input.length} characters`,
        expected: `at most ${maxLength} characters`,
        scimType,
      });
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
    return this.error(this.lexer.start, this.found(), what);
  }

  private unexpected(reason?: string): FilterSyntaxError {
    return this.error(this.lexer.start, this.found(), undefined, reason);
  }

  private error(position: number, found: string, expected: string | undefined, reason?: string) {
    return new FilterSyntaxError({
      input: this.input,
      position,
      found,
      expected,
      scimType: this.scimType,
      reason,
    });
  }

  /**
   * Whether the current token is of `kind`, for a test right after a call that moved the lexer
   * on: TypeScript would keep a read of `lexer.kind` narrowed by an earlier test. Hot paths read
   * `lexer.kind` directly (a call here costs more than the comparison).
   */
  private peek(kind: KindCode): boolean {
    return this.lexer.kind === kind;
  }

  private expect(kind: KindCode, what: string): number {
    if (this.lexer.kind !== kind) throw this.expected(what);
    const end = this.lexer.end;
    this.lexer.next();
    return end;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) {
      throw this.error(this.lexer.start, this.found(), `at most ${this.maxDepth} levels of nesting`);
    }
  }

  // ---- entry points --------------------------------------------------------------------

  expectEnd(what: string): void {
    if (this.lexer.kind !== EOF) throw this.expected(what);
  }

  /**
   * ```abnf
   * FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
   * logExp    = FILTER SP ("and" / "or") SP FILTER
   * ```
   * The whole text is one FILTER; `logExp` is parsed by precedence ({@link parseOr}).
   */
  filter(): Filter {
    const filter = this.parseOr(false);
    this.expectEnd('"and", "or" or end of input');
    return filter;
  }

  /**
   * ```abnf
   * PATH      = attrPath / valuePath [subAttr]   ; RFC 7644 3.5.2
   * ```
   */
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
    if (this.peek(DOT)) {
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

  /**
   * ```abnf
   * attributes = [attrPath *("," attrPath)]   ; RFC 7644 3.4.2.5, empty text = empty list
   * ```
   */
  attributeList(): AttributePath[] {
    const paths: AttributePath[] = [];
    if (this.lexer.kind === EOF) return paths;
    for (;;) {
      paths.push(this.attributePath());
      if (this.peek(EOF)) return paths;
      this.expect(COMMA, '"," or end of input');
    }
  }

  /**
   * ```abnf
   * sortBy    = attrPath   ; RFC 7644 3.4.2.3
   * ```
   */
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

  /**
   * ```abnf
   * orExp     = andExp *(SP "or" SP andExp)   ; "and" binds tighter (3.4.2.2, Table 4)
   * ```
   * Left-associative, in a loop. `inValuePath` parses a `valFilter` (no nested `valuePath`).
   */
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

  /**
   * ```abnf
   * andExp    = unary *(SP "and" SP unary)
   * ```
   */
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

  /**
   * ```abnf
   * unary     = "(" orExp ")" / "not" [SP] "(" orExp ")" / attrExp / valuePath
   * ```
   * A `not` followed by an operator or `[` is an attribute named "not".
   */
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

  /**
   * ```abnf
   * attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
   * valuePath = attrPath "[" valFilter "]"
   * lenient   = valuePath "." ATTRNAME SP ("pr" / compareOp SP compValue)   ; Entra ID
   * ```
   */
  private attributeExpression(inValuePath: boolean): Filter {
    const lexer = this.lexer;
    const path = this.attributePath();
    if (lexer.kind === LBRACKET) {
      if (inValuePath) throw this.unexpected('value paths cannot be nested');
      const valuePath = this.valuePath(path);
      if (!this.peek(DOT)) return valuePath;
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

  /**
   * ```abnf
   * valuePath = attrPath "[" valFilter "]"
   * valFilter = attrExp / logExp / *1"not" "(" valFilter ")"   ; no valuePath inside
   * ```
   * Called after `path` with `[` as the current token.
   */
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

  /**
   * ```abnf
   * attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
   * compareOp = "eq" / "ne" / "co" / "sw" / "ew" / "gt" / "lt" / "ge" / "le"
   * ```
   * Called after `path`.
   */
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

  /**
   * ```abnf
   * compValue = false / null / true / number / string   ; JSON (RFC 8259)
   * lenient   = ("true" / "false" / "null")   ; any casing
   *           / 1*<any character but whitespace, ")" and "]">   ; unquoted
   * ```
   * An unquoted value that starts like a number runs on in lenient mode too: a dateTime such as
   * `2015-10-10T14:38:21.8617979-07:00` (sent unquoted by some clients) is one string value.
   */
  private value(): FilterValue {
    const lexer = this.lexer;
    const input = this.input;
    const kind = lexer.kind;
    if (kind === STRING || (kind === NUMBER && !(this.lenient && !endsValue(input, lexer.end)))) {
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
      while (!endsValue(input, end)) end++;
      lexer.reset(end);
      this.advance();
      return input.slice(start, end);
    }
    throw this.expected(VALUE_LIST);
  }

  // ---- paths ---------------------------------------------------------------------------

  /**
   * ```abnf
   * subAttr   = "." ATTRNAME   ; the name after "]." of a valuePath
   * ```
   * Called with the word after the `.` as the current token.
   */
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
    return this.error(position, found, what, reason);
  }

  private describeAfter(position: number): string {
    const input = this.input;
    if (position >= input.length) return 'end of input';
    const code = input.charCodeAt(position);
    return code === 0x20 ? '" "' : describeText(input, position, position + 1);
  }

  /**
   * ```abnf
   * attrPath  = [URI ":"] ATTRNAME *1subAttr
   * ATTRNAME  = (ALPHA / "$") *nameChar   ; "$" for "$ref" (RFC 7643 2.1 names it so)
   * nameChar  = "-" / "_" / DIGIT / ALPHA / "$"
   * subAttr   = "." ATTRNAME
   * ```
   * From one word token, whose colons and dots the lexer noted; `URI` must start with `urn:`.
   */
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

/** Whether an unquoted value ends at `position`: the end of input, whitespace, `)` or `]`. */
function endsValue(input: string, position: number): boolean {
  if (position >= input.length) return true;
  const code = input.charCodeAt(position);
  return isSpace(code) || code === 0x29 || code === 0x5d;
}
