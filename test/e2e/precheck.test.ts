/**
 * The model's `check_pure` checks run in isolated-vm, and are re-run as a pre-check before the full
 * test command: a failing check sends the loop to repair without running the suite.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import type { RunSummary } from '../../src/run/run-task.ts';

const turn = (stopReason: string, content: unknown[]) => JSON.stringify({ model: 'claude-sonnet-5-5', provider: 'replay', stopReason, content });
const CHECKS = "check('one dash between words', () => expect(mod.slugify('Hello, World!')).toBe('hello-world'));\ncheck('lower-cases', () => expect(mod.slugify('ABC')).toBe('abc'));";

describe('isolated-vm pre-check in the loop', () => {
  it('a failing pre-check skips the suite and drives a repair; the fix then passes both', async () => {
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'));
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const transcript = path.join(mkdtempSync(path.join(os.tmpdir(), 'precheck-')), 't.jsonl');
    writeFileSync(transcript, [
      turn('end_turn', [{ type: 'text', text: 'Plan: pin the behaviour with pure checks, then fix the separator regex.' }]),
      turn('tool_use', [{ type: 'tool_use', id: 'c1', name: 'check_pure', input: { path: 'src/slugify.ts', checks: CHECKS } }]),
      turn('end_turn', [{ type: 'text', text: 'Checks recorded.' }]),
      turn('tool_use', [{ type: 'tool_use', id: 'e1', name: 'str_replace', input: { path: 'src/slugify.ts', old_str: '    .replace(/[^a-z0-9]/g, separator)\n', new_str: '    .replace(/[^a-z0-9]+/g, separator)\n' } }]),
      turn('end_turn', [{ type: 'text', text: 'Made the separator match greedy in src/slugify.ts.' }]),
    ].join('\n') + '\n');
    const r = await runCli(['run', '--repo', repo, '--task', 'fix slugify', '--test-cmd', inst.task.test_cmd, '--provider', 'replay', '--transcript', transcript, '--json']);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.status).toBe('resolved');
    expect(s.iterations).toBe(2);
    const trace = readTrajectory(path.join(s.runDir, 'trajectory.jsonl'));
    const tool = trace.find((e) => e.type === 'tool_call' && e.name === 'check_pure');
    expect(tool).toMatchObject({ ok: false });
    expect((tool as { llmContent: string }).llmContent).toMatch(/1\/2 checks passed in isolated-vm/);
    const pre = trace.filter((e) => e.type === 'precheck') as { iteration: number; ran: number; failures: { id: string }[] }[];
    expect(pre.map((p) => [p.iteration, p.ran, p.failures.length])).toEqual([[1, 2, 1], [2, 2, 0]]);
    expect(pre[0]!.failures[0]!.id).toBe('src/slugify.ts::precheck > one dash between words');
    // Iteration 1 never ran the slow suite; iteration 2 did, and it passed.
    const tests = trace.filter((e) => e.type === 'test_run') as { iteration: number; passed: boolean }[];
    expect(tests).toEqual([expect.objectContaining({ iteration: 2, passed: true })]);
    const repair = trace.find((e) => e.type === 'repair_prompt') as { prompt: string };
    expect(repair.prompt).toContain('one dash between words');
  });
});
