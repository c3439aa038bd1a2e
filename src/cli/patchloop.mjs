#!/usr/bin/env node
// The `patchloop` executable: loads the TypeScript sources through tsx (no build step to go stale).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
