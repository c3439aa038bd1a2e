/**
 * A run killed with SIGKILL at different points resumes to completion without repeating a side
 * effect: each model reply is bought once, each edit applied once, one commit on the branch.
 * Ctrl-C once stops after the step with exit 130 and a resume command.
 */
import { describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PATCHLOOP_BIN, REPO_ROOT, runCli } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';
import { readTrajectory, type TraceLine } from '../../src/trace/trajectory.ts';
import type { RunSummary } from '../../src/run/run-task.ts';

const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-paginate-off-by-one'));
const runArgs = (repo: string, runId: string) => [
  'run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay',
  '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--run-id', runId, '--json',
];

/** Starts a run and sends `signal` as soon as the trace shows an event matching `when`. */
async function runUntil(repo: string, runId: string, when: (e: TraceLine) => boolean, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [PATCHLOOP_BIN, ...runArgs(repo, runId)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const tracePath = path.join(repo, '.git', 'patchloop', 'runs', runId, 'trajectory.jsonl');
  const exited = new Promise<number | null>((r) => child.on('close', (code, sig) => r(sig ? null : code)));
  let sent = false;
  while (!sent) {
    if (existsSync(tracePath)) {
      try {
        if (readTrajectory(tracePath).some(when)) {
          child.kill(signal);
          sent = true;
        }
      } catch {
        /* a line being written */
      }
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { code: await exited, sent, stderr, tracePath };
}

function assertOnce(trace: TraceLine[]) {
  const steps = trace.filter((e) => e.type === 'model_call').map((e) => (e as { step: number }).step);
  expect(new Set(steps).size).toBe(steps.length);
  const toolIds = trace.filter((e) => e.type === 'tool_call').map((e) => (e as { id: string }).id);
  expect(new Set(toolIds).size).toBe(toolIds.length);
  expect(trace.filter((e) => e.type === 'resume').length).toBeGreaterThanOrEqual(1);
}

const killPoints: [string, (e: TraceLine) => boolean][] = [
  ['after a model reply', (e) => e.type === 'model_call'],
  ['after an edit', (e) => e.type === 'tool_call' && (e.changedFiles?.length ?? 0) > 0],
  ['between an edit intent and its result', (e) => e.type === 'tool_intent'],
  ['after a test run', (e) => e.type === 'test_run'],
];

describe('resume', () => {
  for (const [label, when] of killPoints) {
    it(`SIGKILL ${label}, then resume: resolves with every side effect once`, async () => {
      const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
      const runId = `kill-${label.replace(/\W+/g, '-')}`;
      const killed = await runUntil(repo, runId, when, 'SIGKILL');
      expect(killed.sent).toBe(true);
      expect(killed.code).toBeNull();
      const r = await runCli(['resume', runId, '--repo', repo, '--json']);
      expect(r.stderr).not.toMatch(/unexpected error/);
      const summary = JSON.parse(r.stdout) as RunSummary;
      expect(summary.status).toBe('resolved');
      expect(r.code).toBe(0);
      assertOnce(readTrajectory(killed.tracePath));
      const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
      expect(execFileSync('git', ['rev-list', '--count', `${base}..${summary.branch}`], { cwd: repo, encoding: 'utf8' }).trim()).toBe('1');
    });
  }

  it('Ctrl-C once stops after the step with exit 130 and a resume command; resume finishes', async () => {
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const stopped = await runUntil(repo, 'ctrl-c', (e) => e.type === 'model_call', 'SIGINT');
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('patchloop resume ctrl-c');
    const summary = JSON.parse(readFileSync(path.join(path.dirname(stopped.tracePath), 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.status).toBe('interrupted');
    const r = await runCli(['resume', 'ctrl-c', '--repo', repo, '--json']);
    expect((JSON.parse(r.stdout) as RunSummary).status).toBe('resolved');
    assertOnce(readTrajectory(stopped.tracePath));
    expect(readdirSync(path.dirname(stopped.tracePath))).toContain('snapshot.json');
  });

  it('refuses a snapshot of another format version', async () => {
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const stopped = await runUntil(repo, 'old-format', (e) => e.type === 'model_call', 'SIGKILL');
    const snap = path.join(path.dirname(stopped.tracePath), 'snapshot.json');
    const json = JSON.parse(readFileSync(snap, 'utf8'));
    json.formatVersion = 99;
    (await import('node:fs')).writeFileSync(snap, JSON.stringify(json));
    const r = await runCli(['resume', 'old-format', '--repo', repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/snapshot format v99/);
  });
});
