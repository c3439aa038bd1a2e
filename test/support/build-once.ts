/**
 * vitest global setup: tests that spawn the real executable run the build in dist/, so rebuild it
 * first when src/ changed since the last build (a no-op, ~2 ms, when it is current).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../../src/cli/build.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed (see above): the tests would run a stale CLI');
}
