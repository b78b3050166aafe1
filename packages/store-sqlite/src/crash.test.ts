import { describeCrashConsistency } from '@scimkit/sql-store-suite';
import { sqliteHarness } from '../test/sqlite.js';

describeCrashConsistency(sqliteHarness);
