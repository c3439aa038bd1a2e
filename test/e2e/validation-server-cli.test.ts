/**
 * The warm validation server as a user meets it: two `patchloop run`s on the same commit, the
 * first starts the server (its trace says so), the second is validated warm by the same server;
 * `patchloop validation-servers` lists it with both runs, `--stop` ends it and its worktree is gone.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';
import type { RunSummary } from '../../src/run/run-task.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { REPO_ROOT, runCli } from '../support/cli.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const ON = { PATCHLOOP_VALIDATION_SERVER: '1' };

describe('patchloop run through the warm validation server', () => {
  it('the second run on a commit is validated by the server the first one started; --stop ends it', async () => {
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'));
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const statusBefore = git(repo, 'status', '--porcelain');
    const run = () => runCli([
      'run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay',
      '--transcript', path.join(inst.dir, 'transcript.jsonl'), ...(inst.task.locked.length ? ['--lock', ...inst.task.locked] : []), '--json',
    ], { env: ON });
    const servedBy = (s: RunSummary) => [...new Set(readTrajectory(path.join(s.runDir, 'trajectory.jsonl')).flatMap((e) => (e.type === 'validation' ? [e.server ?? 'in process'] : [])))];
    try {
      const first = JSON.parse((await run()).stdout) as RunSummary;
      expect(first.status).toBe('resolved');
      expect(servedBy(first)).toEqual(['server, started by this run']);
      const second = JSON.parse((await run()).stdout) as RunSummary;
      expect(second.status).toBe('resolved');
      expect(servedBy(second)).toEqual(['server, warm (1 earlier run)']);

      const listed = JSON.parse((await runCli(['validation-servers', '--repo', repo, '--json'], { env: ON })).stdout) as { repoRoot: string; runsServed: number; busy: boolean }[];
      expect(listed.map((s) => [s.repoRoot, s.runsServed, s.busy])).toEqual([[git(repo, 'rev-parse', '--show-toplevel').trim(), 2, false]]);
      expect(git(repo, 'worktree', 'list')).toMatch(/validation-[0-9a-f]{16}/);
      // The user's checkout is as it was: the server works in its own worktree.
      expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
    } finally {
      await runCli(['validation-servers', '--repo', repo, '--stop'], { env: ON });
    }
    for (let i = 0; i < 100 && /validation-/.test(git(repo, 'worktree', 'list')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(git(repo, 'worktree', 'list')).not.toMatch(/validation-/);
  });
});
