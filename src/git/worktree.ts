/**
 * The run's own worktree on branch `patchloop/<run-id>`, created from the base commit. The user's
 * working tree, index and uncommitted changes are never touched: every write happens in the
 * worktree, which lives under `<worktrees root>/<repository bucket>/<run-id>` (see worktrees-root.ts:
 * outside the checkout and its `.git`).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import type { RepoInfo } from './repo.ts';
import { runGit } from './run-git.ts';
import { repositoryBucket, worktreesRoot } from './worktrees-root.ts';

export interface RunWorktree {
  path: string;
  branch: string;
  /** Commit sha the run started from. */
  baseSha: string;
}

/** Branch names are `patchloop/<run-id>`; run ids are generated, never taken from a model. */
export function runBranch(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) throw new UsageError('bad_run_id', `run id "${runId}" must be letters, digits, ".", "_" or "-"`);
  return `patchloop/${runId}`;
}

/** The run's worktree folder (absolute); the trace stays in `<git-common-dir>/patchloop/runs/`. */
export function worktreePath(repo: RepoInfo, runId: string): string {
  return path.join(repositoryWorktrees(repo), runId);
}

/** The folder holding every run worktree of `repo` (absolute): what goes with a scratch repository that is deleted. */
export function repositoryWorktrees(repo: Pick<RepoInfo, 'root' | 'commonDir'>): string {
  return path.join(worktreesRoot(), repositoryBucket(repo.root, repo.commonDir));
}

/**
 * Creates the worktree and branch.
 * @throws UsageError `branch_exists` when `patchloop/<run-id>` already exists.
 */
export async function createRunWorktree(repo: RepoInfo, runId: string, baseRef = 'HEAD'): Promise<RunWorktree> {
  const git = (args: string[]) => runGit(repo.root, args);
  const branch = runBranch(runId);
  const existing = await git(['branch', '--list', branch]);
  if (existing.trim() !== '') {
    throw new UsageError('branch_exists', `branch ${branch} already exists: pick another --run-id, or remove it with \`patchloop discard ${runId}\`.`);
  }
  // openRepo resolved HEAD already: the run starts from the commit it saw.
  const baseSha = baseRef === 'HEAD' && repo.head ? repo.head : (await git(['rev-parse', '--verify', `${baseRef}^{commit}`])).trim();
  const wt = worktreePath(repo, runId);
  await addWorktree(repo, wt, ['-b', branch, wt, baseSha]);
  return { path: wt, branch, baseSha };
}

/**
 * `git worktree add --quiet <args>` for folder `wt` of the worktrees root, under the repository's
 * worktree lock, with `node_modules` kept out of git. Other users must not read a run's files (the
 * root may be in a shared /var/tmp): the folders above `wt` are created 0700.
 */
async function addWorktree(repo: RepoInfo, wt: string, args: string[]): Promise<void> {
  mkdirSync(path.dirname(path.dirname(wt)), { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(wt), { recursive: true, mode: 0o700 });
  await withWorktreeLock(repo.commonDir, async () => {
    await runGit(repo.root, ['worktree', 'add', '--quiet', ...args]);
    excludeFromGit(repo, ['node_modules']);
  });
}

/**
 * A detached worktree (no branch) at `sha` in the run worktrees' bucket, named `name` (generated,
 * never from a model): the warm validation server's own tree. Reused when it already exists.
 * @returns its absolute path
 */
export async function createDetachedWorktree(repo: RepoInfo, name: string, sha: string): Promise<string> {
  runBranch(name); // same naming rule as run ids
  const wt = worktreePath(repo, name);
  if (!existsSync(path.join(wt, '.git'))) await addWorktree(repo, wt, ['--detach', wt, sha]);
  return wt;
}

/** How long a run waits for another process's `git worktree add` on the same repository, ms. */
const WORKTREE_LOCK_WAIT_MS = 120_000;
/** A lock older than this was left by a killed process, ms (an add takes well under a second). */
const WORKTREE_LOCK_STALE_MS = 60_000;

/**
 * Serializes `git worktree add` on one repository across processes (parallel runs, service
 * workers): git reads the other worktrees' admin folders while adding one, and one still being
 * written makes it fail ("failed to read .git/worktrees/<id>/commondir"). The lock is a folder
 * (mkdir is atomic) under `<git-common-dir>/patchloop/`.
 * @throws EnvironmentError `worktree_lock` when the lock stays taken for WORKTREE_LOCK_WAIT_MS.
 */
export async function withWorktreeLock<T>(commonDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(commonDir, 'patchloop', 'worktree-add.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + WORKTREE_LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = (() => {
        try {
          return Date.now() - statSync(lock).mtimeMs;
        } catch {
          return 0; // released meanwhile
        }
      })();
      if (age > WORKTREE_LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new EnvironmentError('worktree_lock', `${lock} stayed taken for ${WORKTREE_LOCK_WAIT_MS / 1000} s: if no patchloop is creating a run in this repository, remove it`);
      else await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Keeps the `node_modules` links of workspace packages (`rels`, repo-relative folders from
 * `linkDependencies`) out of the run's commits and patches: git matches a symlink against
 * `node_modules/` only as a file, so the repository's own .gitignore may not cover it.
 */
export function excludeLinkedPackages(repo: RepoInfo, rels: string[]): void {
  if (rels.length > 0) excludeFromGit(repo, rels.map((r) => `${r}/node_modules`));
}

/** Adds patterns to the repo-wide `info/exclude` (shared by worktrees) so a dependency symlink is never committed. */
function excludeFromGit(repo: RepoInfo, patterns: string[]): void {
  const file = path.join(repo.commonDir, 'info', 'exclude');
  mkdirSync(path.dirname(file), { recursive: true });
  const have = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const missing = patterns.filter((p) => !have.includes(`/${p}`));
  if (missing.length > 0) appendFileSync(file, (have.length && have.at(-1) !== '' ? '\n' : '') + missing.map((p) => `/${p}`).join('\n') + '\n');
}

/** Unified diff of everything in the worktree (tracked, new and deleted files) against the base. */
export async function diffAgainstBase(wt: RunWorktree): Promise<string> {
  await runGit(wt.path, ['add', '-A']);
  return runGit(wt.path, ['diff', '--cached', '--no-color', '--no-ext-diff', '--binary', wt.baseSha]);
}

/** Repo-relative paths changed since the base. */
export async function changedFiles(wt: RunWorktree): Promise<string[]> {
  await runGit(wt.path, ['add', '-A']);
  const out = await runGit(wt.path, ['diff', '--cached', '--name-only', '--no-ext-diff', wt.baseSha]);
  return out.split('\n').filter(Boolean);
}

/**
 * Commits everything in the worktree with a `Patchloop-Run` trailer. Idempotent: when HEAD already
 * carries this run's trailer and nothing changed since, returns that commit instead of making another.
 * With nothing changed since the base (e.g. a review), makes no commit and returns the base sha.
 */
export async function commitRun(wt: RunWorktree, runId: string, message: string): Promise<string> {
  const git = (args: string[]) => runGit(wt.path, args);
  await git(['add', '-A']);
  const staged = (await git(['diff', '--cached', '--name-only'])).trim();
  if (staged === '') {
    const head = (await git(['rev-parse', 'HEAD'])).trim();
    if (head === wt.baseSha) return head;
    const body = await git(['log', '-1', '--format=%B', head]);
    if (body.includes(`Patchloop-Run: ${runId}`)) return head;
  }
  await git([
    '-c', 'user.name=patchloop', '-c', 'user.email=patchloop@localhost',
    'commit', '--quiet', '--no-verify', '-m', message, '-m', `Patchloop-Run: ${runId}`,
  ]);
  return (await git(['rev-parse', 'HEAD'])).trim();
}

/** Removes the worktree and its branch (used by `discard` and by tests). */
export async function removeRunWorktree(repo: RepoInfo, runId: string): Promise<void> {
  const git = (args: string[]) => runGit(repo.root, args);
  const wt = worktreePath(repo, runId);
  if (existsSync(wt)) await git(['worktree', 'remove', '--force', wt]);
  await git(['worktree', 'prune']);
  const branch = runBranch(runId);
  if ((await git(['branch', '--list', branch])).trim() !== '') await git(['branch', '-D', branch]);
}
