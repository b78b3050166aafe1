import { type Filter, formatFilter } from '@scimkit/filter';

/** A filter as the text sent to the server: text as given, an AST printed canonically. */
export function filterText(filter: string | Filter): string {
  return typeof filter === 'string' ? filter : formatFilter(filter);
}
