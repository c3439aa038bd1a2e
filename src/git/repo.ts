/**
 * Git through simple-git, hardened for a tool that works on repositories it does not trust.
 * Every call patchloop makes disables hooks and fsmonitor, because files the sandboxed code could
 * write must never make the tool's own git calls run a program (an escape class seen in this field).
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.ts';

/** `-c` settings applied to every git call patchloop makes. */
export const HARDENED_GIT_CONFIG = [
  'core.hooksPath=/dev/null', // no hook runs on our commits/checkouts
  'core.fsmonitor=false', // no fsmonitor helper program
  'commit.gpgsign=false', // no gpg program
  'diff.external=', // no external diff program
];

/** A simple-git instance rooted at `dir`, with the hardened config. */
/**
 * git runs in a session of its own (`setsid`, util-linux) so a Ctrl-C meant for patchloop does not
 * kill a git command half-way and leave an `index.lock` behind; patchloop decides when to stop.
 */
const GIT_BINARY: string | [string, string] = existsSync('/usr/bin/setsid') ? ['/usr/bin/setsid', 'git'] : 'git';

export function hardenedGit(dir: string): SimpleGit {
  return simpleGit({
    baseDir: dir,
    binary: GIT_BINARY,
    config: HARDENED_GIT_CONFIG,
    // These "unsafe" settings are what *turns the dangerous features off*; simple-git blocks any -c
    // touching them unless allowed.
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeGpgProgram: true, allowUnsafeDiffExternal: true },
  });
}

export interface RepoInfo {
  /** Absolute path of the working tree's top level. */
  root: string;
  /** Absolute path of the common git dir (shared by worktrees): where runs and worktrees live. */
  commonDir: string;
  /** Commit sha of HEAD. */
  head: string;
}

/**
 * Opens the repository containing `dir`.
 * @throws EnvironmentError `repo_missing` when the folder does not exist, `not_a_git_repo` when it
 *   is not inside a git working tree, `no_commits` when HEAD does not resolve.
 */
export async function openRepo(dir: string): Promise<RepoInfo> {
  const abs = path.resolve(dir);
  try {
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new EnvironmentError('repo_missing', `--repo ${dir}: no such directory. Pass the path of a git working copy.`);
  }
  const git = hardenedGit(abs);
  let root: string;
  try {
    root = (await git.revparse(['--show-toplevel'])).trim();
  } catch (err) {
    if (/ENOENT|spawn git|failed to execute git/.test(String((err as Error).message))) {
      throw new EnvironmentError('git_missing', 'git was not found on PATH: install git (2.25 or newer), then run again.', err);
    }
    throw new EnvironmentError(
      'not_a_git_repo',
      `${abs} is not a git repository: patchloop works in a git worktree so your files stay untouched. Run \`git init && git add -A && git commit -m init\` there first, or pass --repo <a git working copy>.`,
    );
  }
  let head: string;
  try {
    head = (await git.revparse(['--verify', 'HEAD^{commit}'])).trim();
  } catch {
    throw new EnvironmentError('no_commits', `${root} has no commits yet: commit your work once (git add -A && git commit -m init), then run again.`);
  }
  const common = (await git.revparse(['--git-common-dir'])).trim();
  return { root: realpathSync(root), commonDir: realpathSync(path.resolve(root, common)), head };
}
