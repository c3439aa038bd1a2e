/**
 * End to end, as a user runs it: `patchloop run --provider replay` on a scratch copy of a shipped
 * task resolves it, the hidden tests pass on the resulting branch, and the user's uncommitted work
 * is byte-for-byte untouched.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo, scoreHidden } from '../../src/eval/instance.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import type { RunSummary } from '../../src/run/run-task.ts';

const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('patchloop run with the replay provider', () => {
  for (const id of ['bugfix-slugify', 'bugfix-paginate-off-by-one']) {
    it(`resolves ${id}, hidden tests pass on the branch, the user's dirty tree is untouched`, async () => {
      const inst = loadTask(path.join(REPO_ROOT, 'tasks', id));
      const repo = await prepareInstanceRepo(inst, NODE_MODULES);
      // The user has uncommitted work: a modified tracked file and an untracked file.
      const tracked = git(repo, 'ls-files').split('\n').find((f) => f.endsWith('.ts'))!;
      writeFileSync(path.join(repo, tracked), readFileSync(path.join(repo, tracked), 'utf8') + '\n// my work in progress\n');
      writeFileSync(path.join(repo, 'NOTES.local'), 'do not lose me');
      const statusBefore = git(repo, 'status', '--porcelain');
      const trackedBefore = readFileSync(path.join(repo, tracked));
      const headBefore = git(repo, 'rev-parse', 'HEAD');

      const res = await runCli([
        'run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd,
        '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--max-iterations', '6', '--budget-tokens', '200000',
        ...(inst.task.locked.length ? ['--lock', ...inst.task.locked] : []), '--json',
      ]);
      expect(res.stderr).not.toMatch(/unexpected error/);
      expect(res.code).toBe(0);
      const summary = JSON.parse(res.stdout) as RunSummary;
      expect(summary.status).toBe('resolved');
      expect(summary.commitSha).toMatch(/^[0-9a-f]{40}$/);

      // The user's checkout: same HEAD, same status, same bytes.
      expect(git(repo, 'rev-parse', 'HEAD')).toBe(headBefore);
      expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
      expect(readFileSync(path.join(repo, tracked)).equals(trackedBefore)).toBe(true);
      expect(readFileSync(path.join(repo, 'NOTES.local'), 'utf8')).toBe('do not lose me');

      // The branch exists with one commit carrying the run trailer; the patch file is that commit's diff.
      expect(git(repo, 'rev-parse', summary.branch).trim()).toBe(summary.commitSha);
      expect(git(repo, 'log', '--format=%B', '-1', summary.branch)).toContain(`Patchloop-Run: ${summary.runId}`);
      expect(git(repo, 'rev-list', '--count', `${headBefore.trim()}..${summary.branch}`).trim()).toBe('1');
      const patch = readFileSync(summary.patchPath, 'utf8');
      expect(patch).toBe(git(repo, 'diff', '--no-color', '--binary', headBefore.trim(), summary.commitSha!));
      expect(existsSync(path.join(summary.runDir, 'summary.json'))).toBe(true);
      const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
      expect(trace[0]!.type).toBe('run_start');
      expect(trace.at(-1)!.type).toBe('run_end');
      expect(trace.filter((e) => e.type === 'model_call').length).toBe(summary.steps);

      // Hidden tests decide "resolved": run them on a clean checkout of the branch.
      const checkout = path.join(repo, '..', `${path.basename(repo)}-check`);
      git(repo, 'worktree', 'add', '--detach', checkout, summary.branch);
      const sandbox = await createSandbox({ backend: 'auto', warn: () => {} });
      const score = await scoreHidden(inst, checkout, sandbox, NODE_MODULES);
      expect(score.missing).toEqual([]);
      expect(score.failToPass.every((t) => t.passed)).toBe(true);
      expect(score.passed).toBe(true);
    });
  }

  it('goes through repair when the first attempt fails (bugfix-paginate-off-by-one)', async () => {
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-paginate-off-by-one'));
    const repo = await prepareInstanceRepo(inst, NODE_MODULES);
    const res = await runCli(['run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--json']);
    const summary = JSON.parse(res.stdout) as RunSummary;
    expect(summary.iterations).toBe(2);
    const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
    const failedRun = trace.find((e) => e.type === 'test_run' && !e.passed);
    const repair = trace.find((e) => e.type === 'repair_prompt');
    expect(failedRun).toBeDefined();
    // The repair prompt carries the failing test's name, not the raw log.
    const firstFailure = (failedRun as { failures: { fullName: string }[] }).failures[0]!;
    expect((repair as { prompt: string }).prompt).toContain(firstFailure.fullName);
  });
});
