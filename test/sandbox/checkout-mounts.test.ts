// The mount plan for the user's checkout, checked against real git layouts (a checkout and a linked worktree).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCheckoutMounts } from '../../src/sandbox/checkout-mounts.ts';

let repo: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

beforeAll(() => {
  repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'patchloop-plan-')));
  fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'init');
  git(repo, 'worktree', 'add', '-q', '-b', 'patchloop/r1', path.join(repo, '.git', 'patchloop', 'worktrees', 'r1'));
  git(repo, 'worktree', 'add', '-q', '-b', 'side', path.join(path.dirname(repo), `${path.basename(repo)}-side`));
});
afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(`${repo}-side`, { recursive: true, force: true });
});

describe('planCheckoutMounts', () => {
  it("a run's worktree: masks the checkout and the user's other worktrees, binds back the git metadata", () => {
    const wt = path.join(repo, '.git', 'patchloop', 'worktrees', 'r1');
    const plan = planCheckoutMounts(wt);
    expect(plan.masked.sort()).toEqual([repo, `${repo}-side`].sort());
    expect(plan.readOnly).toEqual([
      path.join(wt, '.git'),
      path.join(repo, '.git', 'worktrees', 'r1'),
      ...['objects', 'refs', 'HEAD', 'info'].map((p) => path.join(repo, '.git', p)),
    ]);
    expect(plan.gitConfig?.dest).toBe(path.join(repo, '.git', 'config'));
  });

  it('a checkout given to sandbox exec: masks its own .git (traces, worktrees, config) and binds back only the parts git reads', () => {
    const plan = planCheckoutMounts(repo);
    expect(plan.masked).toEqual([path.join(repo, '.git'), `${repo}-side`]);
    expect(plan.readOnly).not.toContain(path.join(repo, '.git'));
    expect(plan.readOnly).toContain(path.join(repo, '.git', 'index'));
    expect(plan.readOnly).toContain(path.join(repo, '.git', 'objects'));
  });

  it('a directory that is not the top of a git working tree: nothing to mask', () => {
    expect(planCheckoutMounts(os.tmpdir())).toEqual({ masked: [], readOnly: [], gitConfig: null });
  });
});
