/**
 * Gives a fresh worktree the repository's installed dependencies without installing anything:
 * `<worktree>/node_modules` becomes a symlink to `<repo>/node_modules`. The bwrap backend re-binds the
 * symlink's target read-only, so tests can load packages but cannot change them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.ts';

/**
 * Links `<worktree>/node_modules` → `<repoRoot>/node_modules` (synchronous; idempotent when the
 * link already points there).
 * @throws EnvironmentError `deps_missing` when the repository has no node_modules directory;
 *   `deps_link_failed` when the worktree already holds a different node_modules or the link fails
 */
export function linkDependencies(repoRoot: string, worktree: string): void {
  const source = path.join(repoRoot, 'node_modules');
  let isDir = false;
  try {
    isDir = fs.statSync(source).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) {
    throw new EnvironmentError(
      'deps_missing',
      `No node_modules in ${repoRoot}: install dependencies first (npm ci), or pass --setup "npm ci" to install them in the worktree`,
    );
  }
  const link = path.join(worktree, 'node_modules');
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing) {
    if (existing.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(source)) return;
    throw new EnvironmentError(
      'deps_link_failed',
      `${link} already exists and is not a link to ${source}: remove it or let --setup install dependencies`,
    );
  }
  try {
    // Link to the real path: an intermediate symlink (e.g. under a host /tmp the sandbox hides) would dangle inside bwrap.
    fs.symlinkSync(fs.realpathSync(source), link, 'dir');
  } catch (err) {
    throw new EnvironmentError('deps_link_failed', `Could not link ${link} → ${source}: ${(err as Error).message}`, err);
  }
}
