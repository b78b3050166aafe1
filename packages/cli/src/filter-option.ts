/**
 * The one filter dialect of every command that takes a filter (`filter check`, `users list
 * --filter`, `groups list --filter`, `export --filter`): lenient, as the reference server
 * parses by default, unless `--strict` asks for the RFC 7644 grammar alone.
 */
import { type Filter, parseFilter } from '@scimkit/filter';
import { Option } from 'commander';

/** `--strict`: refuse what identity providers send outside the RFC 7644 filter grammar. */
export function strictOption(): Option {
  return new Option(
    '--strict',
    'check filters against the RFC 7644 grammar only (default: also accept what Entra ID and Okta send, as the reference server does)',
  );
}

/**
 * Parses a filter as every command does; a syntax error is thrown as the filter package's
 * `FilterSyntaxError` (position, caret frame), which `runCli` reports as a usage error.
 */
export function checkFilter(text: string, options: { strict?: boolean | undefined }): Filter {
  return parseFilter(text, { lenient: options.strict !== true });
}
