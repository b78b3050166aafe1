import { readFileSync } from 'node:fs';
import { createScimClient } from '@scimkit/client';
import { type Employee, reconcile } from './reconcile.js';

// Usage: SCIM_URL=… SCIM_TOKEN=… node --conditions=@scimkit/source --import tsx src/main.ts roster.json [--dry-run]
const [file, flag] = process.argv.slice(2);
if (!file || !process.env.SCIM_URL || !process.env.SCIM_TOKEN) {
  console.error('usage: SCIM_URL=… SCIM_TOKEN=… pnpm start <roster.json> [--dry-run]');
  process.exit(2);
}
const roster = JSON.parse(readFileSync(file, 'utf8')) as Employee[];
const client = createScimClient({ baseUrl: process.env.SCIM_URL, token: process.env.SCIM_TOKEN });
const report = await reconcile(client, roster, { dryRun: flag === '--dry-run' });
console.log(JSON.stringify(report, null, 2));
