/** What the bench process and a server child process share. */

/** The servers the bench compares. */
export type ServerKind = 'bare' | 'bare-work' | 'scimkit' | 'scimmy';

/**
 * The calibration server: the ceiling's handler after 10 µs of busy CPU per request
 * (`CALIBRATION_WORK_MICROS` in child.ts). Its share of the ceiling shows what a fixed
 * amount of work costs a share on this machine, where a slower server also pays more per answer
 * in the kernel (see bench/findings.md, server).
 */
export const CALIBRATION = 'bare node:http + 10 µs of work (calibration)';

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
