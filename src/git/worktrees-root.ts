/**
 * Where runs' worktrees live: outside the user's checkout and its `.git`, on purpose.
 * - Test runners exclude `**\/.git/**` by default, and some match it against absolute paths
 *   (vitest 0.x): a worktree under `<repo>/.git/` ran "no test files found" on real repositories.
 * - The user's own tools (their vitest, ESLint, editors) never see a run's files.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * `$PATCHLOOP_WORKTREES`, else `$XDG_CACHE_HOME/patchloop/worktrees`, else `~/.cache/patchloop/worktrees`
 * (XDG Base Directory Specification 0.8: cache data that can be re-created).
 */
export function worktreesRoot(env: Record<string, string | undefined> = process.env): string {
  if (env['PATCHLOOP_WORKTREES']) return path.resolve(env['PATCHLOOP_WORKTREES']);
  const cache = env['XDG_CACHE_HOME'] ? path.resolve(env['XDG_CACHE_HOME']) : path.join(os.homedir(), '.cache');
  return path.join(cache, 'patchloop', 'worktrees');
}

/** One folder per repository: `<checkout name>-<12 hex of sha256(git common dir)>`, readable and collision-free. */
export function repositoryBucket(root: string, commonDir: string): string {
  const name = path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
  return `${name}-${createHash('sha256').update(commonDir).digest('hex').slice(0, 12)}`;
}
