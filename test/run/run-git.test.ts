/**
 * The git calls of a run go through `runGit` (src/git/run-git.ts), not simple-git: the same hardened
 * argv, errors carrying git's stderr, and `openRepo` still telling the three ways a folder is not a
 * usable repository apart. The commit keeps its trailer and stays idempotent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitCommandError, runGit } from '../../src/git/run-git.ts';
import { openRepo } from '../../src/git/repo.ts';
import { commitRun, createRunWorktree, diffAgainstBase, removeRunWorktree } from '../../src/git/worktree.ts';
import { scratchRepo } from './scratch-repo.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
let savedRoot: string | undefined;

beforeAll(() => {
  savedRoot = process.env['PATCHLOOP_WORKTREES'];
  process.env['PATCHLOOP_WORKTREES'] = mkdtempSync(path.join(os.tmpdir(), 'patchloop-rungit-wt-'));
});
afterAll(() => {
  if (savedRoot === undefined) delete process.env['PATCHLOOP_WORKTREES'];
  else process.env['PATCHLOOP_WORKTREES'] = savedRoot;
});

describe('runGit', () => {
  it('resolves with stdout, also for a command that prints nothing', async () => {
    const repo = scratchRepo();
    expect((await runGit(repo, ['rev-parse', 'HEAD'])).trim()).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(await runGit(repo, ['add', '-A'])).toBe('');
  });

  it("rejects with git's stderr and exit code", async () => {
    const repo = scratchRepo();
    const err = await runGit(repo, ['rev-parse', '--verify', 'no-such-ref^{commit}']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitCommandError);
    expect((err as GitCommandError).message).toMatch(/Needed a single revision/);
    expect((err as GitCommandError).exitCode).toBe(128);
  });

  it('runs no hook of the repository (hooks and fsmonitor are switched off)', async () => {
    const repo = scratchRepo();
    const marker = path.join(repo, 'hook-ran');
    mkdirSync(path.join(repo, '.git', 'hooks'), { recursive: true });
    writeFileSync(path.join(repo, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(repo, 'config', 'core.fsmonitor', `touch '${marker}'`);
    writeFileSync(path.join(repo, 'add.js'), 'export const add = (a, b) => a + b;\n');
    await runGit(repo, ['add', '-A']);
    await runGit(repo, ['commit', '-q', '-m', 'x']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('openRepo', () => {
  it('answers root, common dir and HEAD', async () => {
    const repo = scratchRepo();
    const info = await openRepo(path.join(repo, 'node_modules'));
    expect(info).toEqual({ root: repo, commonDir: path.join(repo, '.git'), head: git(repo, 'rev-parse', 'HEAD') });
  });

  it('tells a missing folder, a folder outside git and a repository without commits apart', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'patchloop-nogit-'));
    await expect(openRepo(path.join(empty, 'nope'))).rejects.toMatchObject({ code: 'repo_missing' });
    await expect(openRepo(empty)).rejects.toMatchObject({ code: 'not_a_git_repo' });
    git(empty, 'init', '-q');
    await expect(openRepo(empty)).rejects.toMatchObject({ code: 'no_commits' });
  });
});

describe("a run's worktree and commit", () => {
  it('starts at the HEAD openRepo saw, commits with the trailer once, and diffs against the base', async () => {
    const repo = scratchRepo();
    const info = await openRepo(repo);
    const wt = await createRunWorktree(info, 'rg-1');
    expect(wt.baseSha).toBe(info.head);
    await expect(createRunWorktree(info, 'rg-1')).rejects.toMatchObject({ code: 'branch_exists' });
    writeFileSync(path.join(wt.path, 'add.js'), 'export const add = (a, b) => a + b;\n');
    expect(await diffAgainstBase(wt)).toContain('+export const add = (a, b) => a + b;');
    const sha = await commitRun(wt, 'rg-1', 'patchloop: fix add');
    expect(git(wt.path, 'log', '-1', '--format=%B')).toContain('Patchloop-Run: rg-1');
    expect(await commitRun(wt, 'rg-1', 'patchloop: fix add')).toBe(sha); // idempotent
    expect(git(repo, 'status', '--porcelain')).toBe(''); // the user's checkout is untouched
    await removeRunWorktree(info, 'rg-1');
    expect(existsSync(wt.path)).toBe(false);
  });

  it('makes no commit when nothing changed since the base', async () => {
    const info = await openRepo(scratchRepo());
    const wt = await createRunWorktree(info, 'rg-2');
    expect(await commitRun(wt, 'rg-2', 'nothing')).toBe(wt.baseSha);
  });

  it('resolves another base ref itself', async () => {
    const repo = scratchRepo();
    const first = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'b.js'), 'export {};\n');
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'second');
    const wt = await createRunWorktree(await openRepo(repo), 'rg-3', 'HEAD~1');
    expect(wt.baseSha).toBe(first);
  });
});
