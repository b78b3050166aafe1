/** What the bench process and a server child process share. */

/** The servers the bench compares: `bare-<µs>` is a calibration server (see {@link CALIBRATIONS}). */
export type ServerKind = 'bare' | 'scimkit' | 'scimmy' | `bare-${number}`;

/**
 * The calibration servers: the ceiling's handler after a fixed number of µs of busy CPU per
 * request. Their shares of the ceiling show what a given amount of work per request costs a
 * share on this machine, where a server slower than the load generator also pays for waking it
 * on every answer (see bench/findings.md, server).
 */
export const CALIBRATIONS: readonly { kind: ServerKind; micros: number; library: string }[] = [10, 30].map(
  (micros) => ({
    kind: `bare-${micros}` as const,
    micros,
    library: `bare node:http + ${micros} µs of work (calibration)`,
  }),
);

/** What the child reports once it listens. */
export interface ChildReady {
  port: number;
  /** Base path of the SCIM endpoints, e.g. `/scim/v2`. */
  basePath: string;
  /** The id of a seeded user (for GET and PATCH). */
  userId: string;
  /** The userName of that user (for the filtered list). */
  userName: string;
}

/** The bearer token every server accepts. */
export const TOKEN = 'bench-token';
