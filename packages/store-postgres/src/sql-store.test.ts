import { describeSqlStore } from '@scimkit/sql-store-suite';
import { postgresHarness } from '../test/pg.js';

describeSqlStore(postgresHarness);
