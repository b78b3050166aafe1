/** The error a call meets when another process rebuilt its type's attribute index meanwhile. */

/**
 * A call found another index configuration recorded for its type than the layout it used (a
 * process with other `indexedAttributes` rebuilt the index meanwhile, as in a rolling deploy):
 * it is undone and made again with the recorded layout.
 */
export class StaleLayout extends Error {
  /** The signature the database records (undefined: none yet). */
  readonly recorded: string | undefined;

  constructor(type: string, recorded: string | undefined) {
    super(`The attribute index of ${type} was rebuilt by another process; the call is made again.`);
    this.recorded = recorded;
  }
}
