/**
 * vitest global setup: tests that spawn the real executable run the build in dist/, so rebuild it
 * first when src/ changed since the last build (a no-op, ~2 ms, when it is current). Runs'
 * worktrees go to a temp folder removed afterwards, not the user's ~/.cache (src/git/worktrees-root.ts),
 * and so does the compiler's code cache; workers inherit the variables. Everything a test or a
 * sandboxed command puts in the temp folder (os.tmpdir(): fixtures, sandbox tmp folders, overlay
 * layers) goes to one folder per session, removed at the end: tests that forget to clean up, or
 * whose sandboxed process outlives them, no longer fill /tmp (3,000+ folders on the dev machine).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const script = fileURLToPath(new URL('../../src/cli/build.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed (see above): the tests would run a stale CLI');
  // First, so the folders below are inside it.
  const sessionTmp = mkdtempSync(path.join(os.tmpdir(), 'patchloop-test-'));
  process.env['TMPDIR'] = sessionTmp;
  const own = process.env['PATCHLOOP_WORKTREES'] === undefined;
  if (own) process.env['PATCHLOOP_WORKTREES'] = mkdtempSync(path.join(os.tmpdir(), 'patchloop-worktrees-'));
  const dir = process.env['PATCHLOOP_WORKTREES']!;
  // The compiler's V8 code cache (src/context/code-cache.ts) likewise: one for the session.
  const ownCache = process.env['PATCHLOOP_CODE_CACHE'] === undefined;
  if (ownCache) process.env['PATCHLOOP_CODE_CACHE'] = mkdtempSync(path.join(os.tmpdir(), 'patchloop-code-cache-'));
  const cacheDir = process.env['PATCHLOOP_CODE_CACHE']!;
  // And the repo map's facts cache (src/context/facts-cache.ts).
  const ownMapCache = process.env['PATCHLOOP_MAP_CACHE'] === undefined;
  if (ownMapCache) process.env['PATCHLOOP_MAP_CACHE'] = mkdtempSync(path.join(os.tmpdir(), 'patchloop-map-cache-'));
  const mapCacheDir = process.env['PATCHLOOP_MAP_CACHE']!;
  return () => {
    if (own) rmSync(dir, { recursive: true, force: true });
    if (ownCache) rmSync(cacheDir, { recursive: true, force: true });
    if (ownMapCache) rmSync(mapCacheDir, { recursive: true, force: true });
    removeAll(sessionTmp);
  };
}

/**
 * rm -rf that also gets through folders left without permissions (overlayfs's mode-000 `work/work`,
 * for a non-root user). Runs after every test process has exited (bwrap --die-with-parent ended
 * their sandboxes), so nothing can swap a folder for a symlink under the walk, which skips links.
 */
function removeAll(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    const open = (d: string): void => {
      chmodSync(d, 0o700);
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory() && !e.isSymbolicLink()) open(path.join(d, e.name));
    };
    try {
      open(dir);
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      process.stderr.write(`could not remove the tests' temp folder ${dir}: ${(err as Error).message}\n`);
    }
  }
}
