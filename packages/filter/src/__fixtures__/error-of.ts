import { FilterSyntaxError } from '../errors.js';

/** Runs `run` and returns the FilterSyntaxError it throws; fails if it throws nothing or something else. */
export function errorOf(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a FilterSyntaxError');
}
