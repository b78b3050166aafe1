#!/usr/bin/env node
// The `scimkit` command. A file of its own rather than dist/bin.js, so that installing a clone
// links the bin before anything is built (pnpm warns "Failed to create bin" for a missing file).
import '../dist/bin.js';
