/** `runs`, `show`, `apply` and `discard` used the way a user does, on a replayed run. */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';

const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'));
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** The documented shape of `run --json` (scripts rely on it). */
const SummaryJson = z.object({
  formatVersion: z.literal(1), runId: z.string(), status: z.enum(['resolved', 'budget_exhausted', 'max_iterations', 'failed', 'interrupted']),
  iterations: z.number().int(), steps: z.number().int(), usd: z.number().nonnegative(), cacheReadShare: z.number().min(0).max(1),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cacheReadTokens: z.number(), cacheWriteTokens: z.number() }),
  branch: z.string().startsWith('patchloop/'), patchPath: z.string(), runDir: z.string(), commitSha: z.string().optional(), wallMs: z.number(),
});

let repo: string;
let runId: string;
beforeAll(async () => {
  repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
  const r = await runCli(['run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--json']);
  runId = SummaryJson.parse(JSON.parse(r.stdout)).runId;
});

describe('history and patch commands', () => {
  it('runs lists the run; show prints its steps', async () => {
    const list = await runCli(['runs', '--repo', repo, '--json']);
    const runs = JSON.parse(list.stdout).runs as { runId: string; status: string }[];
    expect(runs.map((r) => r.runId)).toContain(runId);
    expect(runs.find((r) => r.runId === runId)!.status).toBe('resolved');
    const show = await runCli(['show', runId, '--repo', repo]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/step 0 \[plan\]/);
    expect(show.stdout).toMatch(/tool str_replace ok/);
    expect(show.stdout).toMatch(/tests PASSED/);
    expect(show.stdout).toMatch(/end: resolved/);
  });

  it('apply refuses onto a file with uncommitted changes and changes nothing', async () => {
    const file = path.join(repo, 'src/slugify.ts');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n// my edit\n');
    const before = git(repo, 'status', '--porcelain') + readFileSync(file, 'utf8');
    const r = await runCli(['apply', runId, '--repo', repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('uncommitted changes in src/slugify.ts');
    expect(git(repo, 'status', '--porcelain') + readFileSync(file, 'utf8')).toBe(before);
    git(repo, 'checkout', '--', 'src/slugify.ts');
  });

  it('apply --commit brings the patch onto the current branch with the run trailer', async () => {
    const r = await runCli(['apply', runId, '--repo', repo, '--commit']);
    expect(r.code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain(`Patchloop-Run: ${runId}`);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'diff', 'HEAD~1', 'HEAD')).toContain('src/slugify.ts');
    // A second apply no longer applies cleanly: refused with git's reason.
    const again = await runCli(['apply', runId, '--repo', repo]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('does not apply cleanly');
  });

  it('discard leaves no worktree and no branch, but keeps the trace', async () => {
    const r = await runCli(['discard', runId, '--repo', repo]);
    expect(r.code).toBe(0);
    expect(git(repo, 'branch', '--list', `patchloop/${runId}`).trim()).toBe('');
    expect(git(repo, 'worktree', 'list')).not.toContain(runId);
    expect(existsSync(path.join(repo, '.git', 'patchloop', 'runs', runId, 'trajectory.jsonl'))).toBe(true);
  });
});
