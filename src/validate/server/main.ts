/**
 * Entry of a warm validation server process: `node main.js <config.json>`, spawned detached by
 * client.ts. Reads and deletes its config file (protocol.ts `ServerConfig`), logs to
 * `<socket>.log`, and exits when the server stops (idle, `stop`, SIGTERM/SIGINT).
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lowerSessionPriority, validationNice } from '../sandboxed/background-priority.mjs';
import { ServerConfigSchema } from './protocol.ts';
import { startValidationServer } from './server.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: main.js <config.json> (started by patchloop, not by hand)\n');
  process.exit(2);
}
const config = ServerConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
rmSync(file, { force: true });
// The client's private folder for the config file (protocol: `<servers dir>/start-XXXXXX/config.json`).
if (path.basename(path.dirname(file)).startsWith('start-')) rmSync(path.dirname(file), { recursive: true, force: true });
const logFile = `${config.socketPath}.log`;
const log = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
try {
  // Detached, so it leads its own session: its share yields to the test command (background-priority.mjs).
  void lowerSessionPriority(validationNice());
  const server = await startValidationServer(config, log);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void server.close());
  await server.done;
  rmSync(logFile, { force: true }); // a clean stop: nothing to diagnose
  process.exit(0);
} catch (err) {
  // One line the waiting client shows (client.ts), then the stack for whoever reads the log.
  log(`could not start: ${String((err as Error)?.message ?? err).replace(/\s+/g, ' ')}`);
  log(`stack: ${(err as Error)?.stack ?? ''}`);
  process.exit(1);
}
