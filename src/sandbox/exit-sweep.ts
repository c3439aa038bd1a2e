/**
 * Folders removed when this process exits, for owners that cannot clean up first: a sandboxed
 * command still running at exit (the validation worker, which bwrap's --die-with-parent kills
 * after we are gone) never reaches its own cleanup, so its private /tmp and its node_modules layer
 * stayed behind — 383 + 353 of them in /tmp after two days of this project's tests and benches
 * (2026-12-03). Synchronous, best effort; a SIGKILLed process still leaves its folders.
 */
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const folders = new Set<string>();
let armed = false;

/** Removes `dir` when the process exits unless the returned function is called first (the owner cleaned up). */
export function removeAtExit(dir: string): () => void {
  folders.add(dir);
  if (!armed) {
    armed = true;
    process.once('exit', sweep);
  }
  return () => void folders.delete(dir);
}

function sweep(): void {
  for (const dir of folders) forceRemove(dir);
  folders.clear();
}

/**
 * `rm -rf dir`. A node_modules layer's overlayfs `work/work` (mode 000, which only root can enter)
 * is opened up (0700) first, as removeLayers does. Nothing else is chmodded: the rest of a layer
 * holds what sandboxed code wrote (a planted symlink would take a recursive chmod out of the
 * folder), while `work` is the kernel's and is not visible inside the sandbox. Never throws.
 */
export function forceRemove(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
    return;
  } catch {
    openOverlayWorkDirs(dir);
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

function openOverlayWorkDirs(dir: string): void {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      try {
        chmodSync(path.join(dir, e.name, 'work', 'work'), 0o700);
      } catch {
        // not a layer
      }
    }
  } catch {
    // unreadable: left
  }
}
