import { createScimClient, type ScimClient } from '@scimkit/client';
import type { Command } from 'commander';
import { type CommandContext, connectionOf } from './context.js';

/** The typed client for `--url` / `--token` (SCIM_URL / SCIM_TOKEN). */
export function clientOf(command: Command, _context: CommandContext): ScimClient {
  const { baseUrl, token } = connectionOf(command);
  return createScimClient({ baseUrl, token });
}
