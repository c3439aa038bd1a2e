/**
 * The commit a webhook CI fix starts from: the failed workflow run's `head_sha`. The checkout under
 * `--repos-root` is usually on another branch, or has not fetched the commit at all, so:
 * - a missing commit is fetched from the checkout's `origin` in the sandbox, with network, through
 *   repo-cache.ts's hardened fetch (never a host-side `git fetch` with the repository's config);
 * - the failing tests are found in a temporary detached worktree at the commit, removed afterwards:
 *   the user's working tree, index and HEAD are never touched.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError } from '../errors.ts';
import { hardenedGit, type RepoInfo } from '../git/repo.ts';
import { withWorktreeLock, worktreePath } from '../git/worktree.ts';
import { linkDependencies, unlinkDependencies } from '../sandbox/dependencies.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { sandboxedFetch } from './repo-cache.ts';
import { parseRepoUrl, scrubUrl } from './repo-url.ts';

/** True when `sha` names a commit whose object is in `repo`. */
export async function hasCommit(repo: RepoInfo, sha: string): Promise<boolean> {
  return hardenedGit(repo.root).raw(['cat-file', '-e', `${sha}^{commit}`]).then(() => true, () => false);
}

export interface EnsureCommit {
  repo: RepoInfo;
  /** Full commit id, already checked (40 hex). */
  sha: string;
  /** `owner/name` on GitHub, for messages. */
  slug: string;
  sandbox: Sandbox;
  /** `--git-allow-http` entries: the only hosts `origin` may be fetched from over plain http. */
  gitAllowHttp?: string[];
  /** Wall-clock limit of the fetch, ms. */
  timeoutMs: number;
}

/**
 * Makes sure `sha` is in the checkout: present already, or fetched from `origin` (https, ssh, or
 * http for an allowed host; the URL passes the same checks as a request's `repo.url`) in the sandbox.
 * @returns how the commit got there.
 * @throws EnvironmentError `ci_commit_missing` naming the commit, the repository, why and the fix.
 */
export async function ensureCommit(o: EnsureCommit): Promise<'present' | 'fetched'> {
  if (await hasCommit(o.repo, o.sha)) return 'present';
  const origin = (await hardenedGit(o.repo.root).raw(['config', '--get', 'remote.origin.url']).catch(() => '')).trim();
  let why = 'the checkout has no remote "origin"';
  if (origin) {
    try {
      const url = parseRepoUrl(origin, o.gitAllowHttp);
      await sandboxedFetch({ sandbox: o.sandbox, url, gitDir: o.repo.commonDir, refspecs: [o.sha], timeoutMs: o.timeoutMs });
      if (await hasCommit(o.repo, o.sha)) return 'fetched';
      why = `origin (${scrubUrl(origin)}) did not send it`;
    } catch (err) {
      why = `fetching it from origin failed: ${(err as Error).message}`;
    }
  }
  throw new EnvironmentError(
    'ci_commit_missing',
    `commit ${o.sha} of ${o.slug} (the failed workflow run's head_sha) is not in ${o.repo.root}, and ${why}. ` +
      `Fix: make sure ${o.repo.root} is a checkout of ${o.slug}, fetch the commit there (git -C ${o.repo.root} fetch origin ${o.sha}), then re-run the failed workflow`,
  );
}

/**
 * Runs `fn` in a temporary detached worktree of `repo` at `sha`, with the repository's dependencies
 * linked as a run's are; the worktree is removed afterwards, whatever `fn` did.
 * @throws EnvironmentError `deps_missing` (no node_modules in the checkout), `worktree_lock`; git's errors.
 */
export async function withDetachedWorktree<T>(repo: RepoInfo, sha: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = worktreePath(repo, `ci-check-${sha.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
  // Other users must not read it (the worktrees root may be in a shared /var/tmp), as a run's.
  mkdirSync(path.dirname(path.dirname(dir)), { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  const git = hardenedGit(repo.root);
  await withWorktreeLock(repo.commonDir, () => git.raw(['-c', 'submodule.recurse=false', 'worktree', 'add', '--detach', '--quiet', dir, sha]));
  try {
    linkDependencies(repo.root, dir);
    return await fn(dir);
  } finally {
    // The links go first: removal must never walk into the repository's own node_modules.
    unlinkDependencies(dir);
    await withWorktreeLock(repo.commonDir, async () => {
      await git.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      await git.raw(['worktree', 'prune']);
    });
  }
}
