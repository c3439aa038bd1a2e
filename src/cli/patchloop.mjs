#!/usr/bin/env node
// The `patchloop` executable: loads the TypeScript sources through tsx (no build step to go stale).
import { register } from 'tsx/esm/api';

register();
// `patchloop show … | head`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
