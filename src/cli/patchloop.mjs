#!/usr/bin/env node
// The `patchloop` executable: runs the compiled CLI in dist/ (`npm ci` builds it; `npm run build`
// after editing src/). In a checkout it refuses a dist/ older than src/ rather than run stale code.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildState } from './build-state.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const state = buildState(root);
if (state.stale) {
  process.stderr.write(`patchloop: the compiled CLI is out of date (${state.reason}): run \`npm run build\` in ${root}\n`);
  process.exit(4);
}
// `patchloop show … | head`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href);
process.exitCode = await main(process.argv.slice(2));
