/**
 * `patchloop batch`: first turns go through Message Batches (submit, poll, collect) on a local
 * Anthropic wire server, each loop continues live over /v1/messages, and the batch reply is priced
 * at the batch discount. The traces go to `--runs-dir`; each task's scratch repository and the
 * worktree its run kept are gone once it is scored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { startAnthropicServer, type AnthropicTestServer, type Scripted, type ScriptedBlock } from '../support/anthropic-server.ts';
import { loadTasks } from '../../src/eval/instance.ts';
import { parseTranscript } from '../../src/model/replay.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { costUsd } from '../../src/budget/prices.ts';
import type { InstanceResult } from '../../src/eval/run-instance.ts';
import type { Usage } from '../../src/model/types.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe('patchloop batch', () => {
  it('submits first turns as one batch, polls, and continues each loop live', async () => {
    const instances = loadTasks(path.join(REPO_ROOT, 'tasks'), 'bugfix-s');
    expect(instances.length).toBe(2);
    // One transcript cursor per task; a request is routed by the task text in its system prompt.
    // The repo map in the system prompt names each task's own source files.
    const cursors = instances.map((i) => ({ marker: `src/${readdirSync(path.join(i.dir, 'repo', 'src')).sort()[0]}`, lines: parseTranscript(readFileSync(path.join(i.dir, 'transcript.jsonl'), 'utf8'), i.task.id), at: 0 }));
    server = await startAnthropicServer({
      batchPollsBeforeEnd: 2,
      script: (req): Scripted => {
        const sys = JSON.stringify(req.body?.system ?? '');
        const c = cursors.find((x) => sys.includes(x.marker));
        const line = c?.lines[c.at++];
        if (!line) return { kind: 'error', status: 400, message: 'no scripted turn' };
        return { kind: 'message', content: line.content as ScriptedBlock[], stopReason: line.stopReason, model: 'claude-sonnet-5-5' };
      },
    });
    // The CLI's own temp and worktree folders, so what it leaves behind can be counted.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'patchloop-batch-test-'));
    const [tmp, worktrees, runsDir] = ['tmp', 'worktrees', 'runs'].map((d) => path.join(scratch, d)) as [string, string, string];
    for (const d of [tmp, worktrees]) mkdirSync(d);
    const r = await runCli(['batch', '--tasks', path.join(REPO_ROOT, 'tasks'), '--only', 'bugfix-s', '--base-url', server.baseURL, '--poll-interval', '5', '--json', '--runs-dir', runsDir], { env: { ANTHROPIC_API_KEY: 'sk-ant-test', TMPDIR: tmp, PATCHLOOP_WORKTREES: worktrees } });
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as InstanceResult);
    expect(results.map((x) => x.resolved)).toEqual([true, true]);
    for (const res of results) expect(res.runDir!.startsWith(runsDir)).toBe(true);
    expect(r.stderr).toContain(`batch: traces in ${runsDir}`);
    // Before, both scratch repositories (patchloop-bugfix-s…-*) and their worktree folders stayed.
    expect(readdirSync(tmp).filter((f) => f.startsWith('patchloop-bugfix-'))).toEqual([]);
    expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
    const submits = server.requests.filter((q) => q.method === 'POST' && q.path === '/v1/messages/batches');
    expect(submits).toHaveLength(1);
    expect(submits[0]!.body.requests.map((q: { custom_id: string }) => q.custom_id).sort()).toEqual(instances.map((i) => i.task.id).sort());
    expect(server.requests.filter((q) => q.method === 'GET' && /\/batches\/[\w-]+$/.test(q.path)).length).toBeGreaterThanOrEqual(2);
    for (const res of results) {
      // Validation ran whole: under this long TMPDIR the worker once never connected (types skipped as "crashed").
      const validations = readTrajectory(path.join(res.runDir!, 'trajectory.jsonl')).filter((e) => e.type === 'validation') as { ran: string[]; skipped: { reason: string }[] }[];
      expect(validations.length).toBeGreaterThan(0);
      for (const v of validations) expect(v.ran).toContain('types');
      const calls = readTrajectory(path.join(res.runDir!, 'trajectory.jsonl')).filter((e) => e.type === 'model_call') as { provider: string; model: string; usage: Usage; usd: number }[];
      expect(calls[0]!.provider).toBe('anthropic-batch');
      expect(calls[0]!.usd).toBeCloseTo(costUsd(calls[0]!.model, calls[0]!.usage, { batch: true }), 10);
      expect(calls[0]!.usd).toBeCloseTo(costUsd(calls[0]!.model, calls[0]!.usage) / 2, 10);
      expect(calls.slice(1).every((c) => c.provider === 'anthropic')).toBe(true);
    }
    rmSync(scratch, { recursive: true, force: true });
  });
});
