import { describeSqlStore } from '@scimkit/sql-store-suite';
import { sqliteHarness } from '../test/sqlite.js';

describeSqlStore(sqliteHarness);
