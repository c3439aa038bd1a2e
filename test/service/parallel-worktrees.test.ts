/**
 * Many runs starting at once on one repository (service workers, parallel processes) each get
 * their worktree: `git worktree add` is serialized per repository, because git reads the other
 * worktrees' admin folders while adding one and fails on one still being written.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRepo } from '../../src/git/repo.ts';
import { createRunWorktree, repositoryWorktrees, worktreePath } from '../../src/git/worktree.ts';

async function scratchRepo() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-parallel-wt-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  writeFileSync(path.join(dir, 'a.txt'), 'a\n');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  return { git, repo: await openRepo(dir) };
}

describe('parallel worktrees on one repository', () => {
  it('waits while another process holds the lock, and takes over a stale one', async () => {
    const { repo } = await scratchRepo();
    const lock = path.join(repo.commonDir, 'patchloop', 'worktree-add.lock');
    mkdirSync(lock, { recursive: true });
    let done = false;
    const pending = createRunWorktree(repo, 'r-waits').then((wt) => ((done = true), wt));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    expect(existsSync(worktreePath(repo, 'r-waits'))).toBe(false);
    rmSync(lock, { recursive: true });
    expect((await pending).branch).toBe('patchloop/r-waits');
    expect(existsSync(lock)).toBe(false);
    // A lock left by a killed process (a minute old) does not block.
    mkdirSync(lock);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    expect((await createRunWorktree(repo, 'r-stale')).branch).toBe('patchloop/r-stale');
  });

  it('24 runs created at once all get their worktree and branch', async () => {
    const { git, repo } = await scratchRepo();
    const ids = Array.from({ length: 24 }, (_, i) => `r-par-${i}`);
    const results = await Promise.allSettled(ids.map((id) => createRunWorktree(repo, id)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const branches = git('branch', '--list', 'patchloop/*', '--format=%(refname:short)').trim().split('\n').sort();
    expect(branches).toEqual(ids.map((id) => `patchloop/${id}`).sort());
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)!.length).toBe(25);
  });

  it("a repository's run worktrees all sit in one folder of their own, so a deleted scratch repository's can go with it", async () => {
    const { repo } = await scratchRepo();
    const other = (await scratchRepo()).repo;
    const runs = await Promise.all(['r-a', 'r-b'].map((id) => createRunWorktree(repo, id)));
    const mine = await createRunWorktree(other, 'r-c');
    for (const wt of runs) expect(path.dirname(wt.path)).toBe(repositoryWorktrees(repo));
    expect(repositoryWorktrees(other)).not.toBe(repositoryWorktrees(repo));
    rmSync(repositoryWorktrees(repo), { recursive: true, force: true }); // what eval does when its scratch repository goes
    expect(runs.map((wt) => existsSync(wt.path))).toEqual([false, false]);
    expect(existsSync(mine.path)).toBe(true);
  });
});
