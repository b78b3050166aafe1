/** What the bench process and a server child process share. */

/** The servers the bench compares. */
export type ServerKind = 'bare' | 'scimkit' | 'scimmy';

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
