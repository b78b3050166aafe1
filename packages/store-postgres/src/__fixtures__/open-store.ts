/**
 * Opens the store on a database location (`{"url":…,"schema":…}`): the opener the
 * crash-consistency suite's child process loads.
 */
import { createPostgresStore, type PostgresStore } from '../index.js';

export default function open(location: string): PostgresStore {
  const { url, schema } = JSON.parse(location) as { url: string; schema: string };
  return createPostgresStore({ connection: url, schema });
}
