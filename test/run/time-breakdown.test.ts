/**
 * Where a run's time goes: each part is attributed to the step that spent it, and the parts sum to
 * the total. A fake clock that only the fakes advance (no timing assertions on real time).
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import type { ModelProvider, ModelResponse } from '../../src/model/types.ts';
import type { CommandResult, CommandSpec, Sandbox } from '../../src/sandbox/types.ts';
import { runTask } from '../../src/run/run-task.ts';
import { createRunActors, type RunActorDeps } from '../../src/run/actors.ts';
import { TimeLedger } from '../../src/run/timing.ts';
import { renderSummary } from '../../src/cli/render.ts';
import { renderStep } from '../../src/cli/commands/history.ts';
import { readTrajectory, TrajectoryWriter } from '../../src/trace/trajectory.ts';
import type { Tool } from '../../src/tools/types.ts';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { scratchRepo } from './scratch-repo.ts';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => new Date(t), ms: () => t, advance: (ms: number) => (t += ms) };
}

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
const say = (text: string): ModelResponse => ({ model: 'fake-model', provider: 'fake', content: [{ type: 'text', text }], stopReason: 'end_turn', usage });

describe('the time breakdown of a run', () => {
  it('attributes start-up, worktree, model wait, validation, sandbox overhead and test command; parts sum to the total', async () => {
    const c = clock();
    const replies = [say('plan'), say('done')];
    const provider: ModelProvider = { name: 'fake', model: 'fake-model', complete: async () => (c.advance(1000), replies.shift()!) };
    const ran: string[] = [];
    let testsStarted = () => {};
    const started = new Promise<void>((r) => (testsStarted = r));
    const sandbox: Sandbox = {
      backend: 'bwrap', isolated: true,
      run: async (spec: CommandSpec): Promise<CommandResult> => {
        ran.push(spec.command);
        // setup 300 ms; the start-up probe `true` 30 ms (20 measured by the sandbox); the tests 500 ms (400 measured).
        const [wall, measured] = spec.command === 'install-deps' ? [300, 300] : spec.command === 'true' ? [30, 20] : [500, 400];
        // Commands run at once overlap, each ending `wall` after its own start. The probe ends once
        // the tests have begun (as beside them), or after 5 real seconds (a probe run before them).
        const start = c.ms();
        if (spec.command === 'run-my-tests') testsStarted();
        await (spec.command === 'true' ? Promise.race([started, new Promise((r) => setTimeout(r, 5000))]) : new Promise((r) => setImmediate(r)));
        c.advance(Math.max(0, start + wall - c.ms()));
        return { exitCode: 0, signal: null, reason: 'exit', output: '', bytesCut: 0, durationMs: measured, backend: 'bwrap' };
      },
    };
    const validation = { run: async () => (c.advance(200), { findings: [], ran: [], skipped: [], autoFixes: [], durationMs: 200 }) };
    const summary = await runTask(
      { repo: scratchRepo(), task: 'check add', testCmd: 'run-my-tests', setupCmd: 'install-deps', maxIterations: 2, budget: { maxTokens: 100_000 } },
      { provider, sandbox, cost: () => 0, now: c.now, processStartedAt: c.ms() - 250, createValidation: () => validation, earlyTests: false },
    );
    expect(summary.status).toBe('resolved');
    // The probe runs once, beside the first test run: its 30 ms are not on the run's path.
    expect([...ran].sort()).toEqual(['install-deps', 'run-my-tests', 'true']);
    expect(summary.timing).toEqual({
      startupMs: 250, worktreeMs: 300, modelWaitMs: 2000, toolsMs: 0, validationMs: 200,
      sandboxOverheadMs: 500 - 380, testCommandMs: 400 - 20, otherMs: 0, totalMs: 3250,
    });
    const t = summary.timing!;
    expect(t.startupMs + t.worktreeMs + t.modelWaitMs + t.toolsMs + t.validationMs + t.sandboxOverheadMs + t.testCommandMs + t.otherMs).toBe(t.totalMs);
    expect(summary.wallMs).toBe(t.totalMs);

    // Both renderings say it, largest part first.
    expect(renderSummary(summary)).toContain('time 3.3 s = model wait 2.0 s (62%) · test command 380 ms (12%) · worktree 300 ms (9%) · start-up 250 ms (8%) · validation 200 ms (6%) · sandbox overhead 120 ms (4%)');
    const end = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl')).at(-1)!;
    expect(renderStep(end, false)).toContain('time 3.3 s = model wait 2.0 s');
  });

  it('tool calls count as tools; the count_tokens pre-flight and the call as model wait', async () => {
    const c = clock();
    const ledger = new TimeLedger(c.ms);
    const slowRead: Tool = {
      spec: { name: 'slow_read', description: 'reads slowly', input_schema: { type: 'object', properties: {} } },
      readOnly: true,
      run: async () => (c.advance(70), { ok: true, llmContent: 'x', display: 'x' }),
    } as unknown as Tool;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-timing-'));
    const provider: ModelProvider = {
      name: 'fake', model: 'm',
      countTokens: async () => (c.advance(40), { inputTokens: 10, source: 'api' as const }),
      complete: async () => (c.advance(900), say('ok')),
    };
    const actors = createRunActors({
      runId: 'r', provider, tools: [slowRead], toolContext: { root: dir }, trace: new TrajectoryWriter(path.join(dir, 't.jsonl'), c.now),
      cost: () => 0, usdPerOutputToken: 0, maxOutputTokens: 1000, context: '', now: c.ms, timing: ledger, secrets: [],
    } as unknown as RunActorDeps);
    const response: ModelResponse = { ...say(''), content: [{ type: 'tool_use', id: 'u1', name: 'slow_read', input: {} }], stopReason: 'tool_use' };
    await toPromise(createActor(actors.runTools, { input: { step: 0, phase: 'plan', response } }).start());
    // A budget this tight makes the pre-flight ask count_tokens (40 ms) before the call (900 ms).
    await toPromise(createActor(actors.callModel, { input: { step: 0, phase: 'plan', messages: [], usage, usd: 0, budget: { maxTokens: 1_500 } } }).start());
    const b = ledger.breakdown(c.ms() - 1_700_000_000_000);
    expect(b.toolsMs).toBe(70);
    expect(b.modelWaitMs).toBe(940);
    expect(b.totalMs).toBe(1010);
  });

  it('a model wait while validation warms up: the time this process was busy meanwhile is validation, not model wait', async () => {
    const c = clock();
    let busy = 0;
    const ledger = new TimeLedger(c.ms, () => busy);
    await ledger.timeWait('modelWaitMs', async () => void (c.advance(1000), (busy += 600)), () => 'validationMs');
    await ledger.timeWait('modelWaitMs', async () => void (c.advance(500), (busy += 900)), () => 'validationMs'); // never more than the wall time
    await ledger.timeWait('modelWaitMs', async () => void (c.advance(300), (busy += 200)), () => undefined); // no warm-up: all of it is the wait
    const b = ledger.breakdown(1800);
    expect([b.modelWaitMs, b.validationMs, b.otherMs, b.totalMs]).toEqual([400 + 0 + 300, 600 + 500, 0, 1800]);
  });

  it('the model actor moves its busy time to validation only while the run says validation is warming', async () => {
    const c = clock();
    let busy = 0;
    let warming = true;
    const ledger = new TimeLedger(c.ms, () => busy);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-timing-'));
    const provider: ModelProvider = { name: 'fake', model: 'm', complete: async () => (c.advance(900), (busy += 700), say('ok')) };
    const actors = createRunActors({
      runId: 'r', provider, tools: [], toolContext: { root: dir }, trace: new TrajectoryWriter(path.join(dir, 't.jsonl'), c.now),
      cost: () => 0, usdPerOutputToken: 0, maxOutputTokens: 1000, context: '', now: c.ms, timing: ledger, secrets: [], validationWarming: () => warming,
    } as unknown as RunActorDeps);
    const call = () => toPromise(createActor(actors.callModel, { input: { step: 0, phase: 'plan', messages: [], usage, usd: 0, budget: { maxTokens: 1_000_000 } } }).start());
    await call();
    warming = false;
    await call();
    const b = ledger.breakdown(1800);
    expect(b.modelWaitMs).toBe(200 + 900);
    expect(b.validationMs).toBe(700);
  });
});
