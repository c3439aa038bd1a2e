/**
 * Where runs' worktrees live: outside the user's checkout and its `.git`, on a path with no
 * dot-folder in it, on purpose.
 * - Test runners exclude dot-folders by default, and some match the pattern against absolute paths:
 *   vitest 0.x excludes `**\/.{idea,git,cache,output,temp}/**`, so a worktree under `<repo>/.git/`
 *   or `~/.cache/` ran "no test files found" on real repositories (unjs/hookable).
 * - The user's own tools (their vitest, ESLint, editors) never see a run's files.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `$PATCHLOOP_WORKTREES`, else `/var/tmp/patchloop-<uid>/worktrees` (FHS 3.0: /var/tmp is kept
 * across reboots, so a stopped run can still be resumed), else `<os tmpdir>/patchloop-<uid>/worktrees`.
 * The per-user folder is created with mode 0700 by the caller.
 */
export function worktreesRoot(env: Record<string, string | undefined> = process.env): string {
  if (env['PATCHLOOP_WORKTREES']) return path.resolve(env['PATCHLOOP_WORKTREES']);
  const base = existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
  return path.join(base, `patchloop-${process.getuid?.() ?? 'user'}`, 'worktrees');
}

/**
 * Where warm validation servers keep their sockets (src/validate/server): beside the worktrees
 * root, in the same per-user folder. The bwrap sandbox hides it (create.ts).
 */
export function serversRoot(env: Record<string, string | undefined> = process.env): string {
  return path.join(path.dirname(worktreesRoot(env)), 'servers');
}

/** One folder per repository: `<checkout name>-<12 hex of sha256(git common dir)>`, readable, collision-free, never a dot-folder. */
export function repositoryBucket(root: string, commonDir: string): string {
  const name = path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'repo';
  return `${name}-${createHash('sha256').update(commonDir).digest('hex').slice(0, 12)}`;
}
