/**
 * Git through simple-git, hardened for a tool that works on repositories it does not trust.
 * Every call patchloop makes disables hooks and fsmonitor, because files the sandboxed code could
 * write must never make the tool's own git calls run a program (an escape class seen in this field).
 * A run's own calls go through `runGit` (run-git.ts) instead; simple-git loads on first use.
 */
import { createRequire } from 'node:module';
import type { SimpleGit, simpleGit as SimpleGitFactory } from 'simple-git';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { GIT_BINARY, HARDENED_GIT_CONFIG, runGit } from './run-git.ts';

export { HARDENED_GIT_CONFIG };

let factory: typeof SimpleGitFactory | undefined;

/** simple-git's `simpleGit`, required on first use (a run never needs it): the one copy every caller shares. */
export function simpleGitFactory(): typeof SimpleGitFactory {
  return (factory ??= (createRequire(import.meta.url)('simple-git') as { simpleGit: typeof SimpleGitFactory }).simpleGit);
}

/** A simple-git instance rooted at `dir`, with the hardened config. */
export function hardenedGit(dir: string): SimpleGit {
  return simpleGitFactory()({
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
  // One git call when all is well; the step-by-step calls below only to say what is wrong.
  const lines = await runGit(abs, ['rev-parse', '--show-toplevel', '--git-common-dir', '--verify', 'HEAD^{commit}']).then((o) => o.split('\n').filter(Boolean), () => []);
  if (lines.length === 3) {
    const [root, common, head] = lines as [string, string, string];
    return { root: realpathSync(root), commonDir: commonDirOf(abs, common), head };
  }
  let root: string;
  try {
    root = (await runGit(abs, ['rev-parse', '--show-toplevel'])).trim();
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
    head = (await runGit(abs, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  } catch {
    throw new EnvironmentError('no_commits', `${root} has no commits yet: commit your work once (git add -A && git commit -m init), then run again.`);
  }
  const common = (await runGit(abs, ['rev-parse', '--git-common-dir'])).trim();
  return { root: realpathSync(root), commonDir: commonDirOf(abs, common), head };
}

/** `--git-common-dir` prints a path relative to the folder git ran in (`../.git` from a subfolder), or an absolute one. */
function commonDirOf(cwd: string, printed: string): string {
  return realpathSync(path.resolve(realpathSync(cwd), printed));
}
