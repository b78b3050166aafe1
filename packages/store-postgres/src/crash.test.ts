import { describeCrashConsistency } from '@scimkit/sql-store-suite';
import { postgresHarness } from '../test/pg.js';

describeCrashConsistency(postgresHarness);
