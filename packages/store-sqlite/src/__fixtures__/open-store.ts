/** Opens the store on a database file: the opener the crash-consistency suite's child process loads. */
import { createSqliteStore, type SqliteStore } from '../index.js';

export default function open(location: string): SqliteStore {
  return createSqliteStore({ filename: location });
}
