/**
 * Clean-ups run when this process exits, for owners that cannot clean up first: a sandboxed command
 * still running at exit (the validation worker, which bwrap's --die-with-parent kills after we are
 * gone) never reaches its own cleanup, so its private /tmp and its node_modules layer stayed behind —
 * 383 + 353 of them in /tmp after two days of this project's tests and benches (2026-12-03).
 * Synchronous, best effort; a SIGKILLed process still leaves its folders. Each owner says how its
 * folders go (a layer opens overlayfs's work dir first, node-modules-layer.ts): this module never
 * chmods or follows anything itself, since the folders hold what sandboxed code wrote.
 */
import { rmSync } from 'node:fs';

const cleanups = new Set<() => void>();
let armed = false;

/** Runs `cleanup` (synchronous) when the process exits, unless the returned function is called first (the owner cleaned up). */
export function atExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!armed) {
    armed = true;
    process.once('exit', sweep);
  }
  return () => void cleanups.delete(cleanup);
}

/** `atExit` for `rm -rf dir`. */
export function removeAtExit(dir: string): () => void {
  return atExit(() => rmSync(dir, { recursive: true, force: true }));
}

function sweep(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort: the others still run
    }
  }
  cleanups.clear();
}
