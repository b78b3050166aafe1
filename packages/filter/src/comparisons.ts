/**
 * Tests of one attribute value against a filter value, per operator and type: strings
 * (`caseExact`-aware), numbers, booleans and dateTimes (chronologically, to the nanosecond).
 */
import type { ComparisonOperator } from './ast.js';
import { parseDateTime, parsed } from './date-time.js';
import type { Test } from './readers.js';

/** A test of a string attribute value; without `caseExact`, compared in lower case. */
export function stringTest(operator: ComparisonOperator, value: string, caseExact: boolean): Test {
  if (caseExact) {
    switch (operator) {
      case 'eq':
        return (found) => found === value;
      case 'ne':
        return (found) => typeof found === 'string' && found !== value;
      case 'co':
        return (found) => typeof found === 'string' && found.includes(value);
      case 'sw':
        return (found) => typeof found === 'string' && found.startsWith(value);
      case 'ew':
        return (found) => typeof found === 'string' && found.endsWith(value);
      case 'gt':
        return (found) => typeof found === 'string' && found > value;
      case 'ge':
        return (found) => typeof found === 'string' && found >= value;
      case 'lt':
        return (found) => typeof found === 'string' && found < value;
      case 'le':
        return (found) => typeof found === 'string' && found <= value;
    }
  }
  const lower = value.toLowerCase();
  switch (operator) {
    case 'eq':
      return (found) => typeof found === 'string' && (found === value || found.toLowerCase() === lower);
    case 'ne':
      return (found) => typeof found === 'string' && found !== value && found.toLowerCase() !== lower;
    case 'co':
      return (found) => typeof found === 'string' && found.toLowerCase().includes(lower);
    case 'sw':
      return (found) => typeof found === 'string' && found.toLowerCase().startsWith(lower);
    case 'ew':
      return (found) => typeof found === 'string' && found.toLowerCase().endsWith(lower);
    case 'gt':
      return (found) => typeof found === 'string' && found.toLowerCase() > lower;
    case 'ge':
      return (found) => typeof found === 'string' && found.toLowerCase() >= lower;
    case 'lt':
      return (found) => typeof found === 'string' && found.toLowerCase() < lower;
    case 'le':
      return (found) => typeof found === 'string' && found.toLowerCase() <= lower;
  }
}

/** A test of a number attribute value, or undefined for operators that do not apply to numbers. */
export function numberTest(operator: ComparisonOperator, value: number): Test | undefined {
  switch (operator) {
    case 'eq':
      return (found) => found === value;
    case 'ne':
      return (found) => typeof found === 'number' && found !== value;
    case 'gt':
      return (found) => typeof found === 'number' && found > value;
    case 'ge':
      return (found) => typeof found === 'number' && found >= value;
    case 'lt':
      return (found) => typeof found === 'number' && found < value;
    case 'le':
      return (found) => typeof found === 'number' && found <= value;
    default:
      return undefined;
  }
}

/** A test of a dateTime attribute value against an instant, or undefined for `co`, `sw` and `ew`. */
export function dateTimeTest(operator: ComparisonOperator, seconds: number, nanos: number): Test | undefined {
  const compare = (found: unknown): number => {
    if (typeof found !== 'string' || !parseDateTime(found)) return Number.NaN;
    return parsed.seconds - seconds || parsed.nanos - nanos;
  };
  switch (operator) {
    case 'eq':
      return (found) => compare(found) === 0;
    case 'ne': {
      return (found) => {
        const order = compare(found);
        return !Number.isNaN(order) && order !== 0;
      };
    }
    case 'gt':
      return (found) => compare(found) > 0;
    case 'ge':
      return (found) => compare(found) >= 0;
    case 'lt':
      return (found) => compare(found) < 0;
    case 'le':
      return (found) => compare(found) <= 0;
    default:
      return undefined;
  }
}

/**
 * A test of a boolean attribute value, or undefined for operators other than `eq` and `ne`;
 * `lenient` also matches the strings `"true"` and `"false"` in any casing.
 */
export function booleanTest(
  operator: ComparisonOperator,
  expected: boolean,
  lenient: boolean,
): Test | undefined {
  if (operator !== 'eq' && operator !== 'ne') return undefined;
  const matches = (found: unknown): boolean => {
    if (typeof found === 'boolean') return found === expected;
    if (lenient && typeof found === 'string') {
      const lower = found.toLowerCase();
      return expected ? lower === 'true' : lower === 'false';
    }
    return false;
  };
  if (operator === 'eq') return matches;
  return (found) => (typeof found === 'boolean' || (lenient && typeof found === 'string')) && !matches(found);
}
