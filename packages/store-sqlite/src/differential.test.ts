import { describeQueryDifferential } from '@scimkit/sql-store-suite';
import { sqliteHarness } from '../test/sqlite.js';

describeQueryDifferential(sqliteHarness);
