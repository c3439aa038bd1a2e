import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { loopMachine, REPEATED_CALL_LIMIT } from '../../src/machine/loop.ts';
import type { ModelActorInput, ModelActorOutput, TestActorOutput, ValidateActorOutput } from '../../src/machine/context.ts';
import type { ContentBlock, ModelResponse } from '../../src/model/types.ts';
import { BudgetError } from '../../src/errors.ts';
import type { Finding } from '../../src/validate/types.ts';

const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
function reply(content: ContentBlock[]): ModelResponse {
  const hasTool = content.some((b) => b.type === 'tool_use');
  return { model: 'fake', provider: 'fake', content, stopReason: hasTool ? 'tool_use' : 'end_turn', usage };
}
const text = (t: string) => reply([{ type: 'text', text: t }]);
let idc = 0;
const tool = (name: string, input: unknown) => reply([{ type: 'tool_use', id: `t${idc++}`, name, input }]);

interface Script {
  replies: ModelResponse[];
  tests?: TestActorOutput[];
  validations?: ValidateActorOutput[];
  modelError?: unknown;
}

function fakes(script: Script) {
  const modelInputs: ModelActorInput[] = [];
  let r = 0, t = 0, v = 0;
  const machine = loopMachine.provide({
    actors: {
      callModel: fromPromise<ModelActorOutput, ModelActorInput>(async ({ input: i }) => {
        modelInputs.push(i);
        if (script.modelError && r === script.replies.length) throw script.modelError;
        const next = script.replies[r++];
        if (!next) throw new Error('script exhausted');
        return { response: next, usd: 0.01 };
      }),
      runTools: fromPromise(async ({ input: i }) => ({
        message: { role: 'user' as const, content: i.response.content.filter((b) => b.type === 'tool_use').map((b) => ({ type: 'tool_result' as const, tool_use_id: (b as { id: string }).id, content: 'ok' })) },
        changedFiles: i.phase === 'edit' ? ['src/a.ts'] : [],
      })),
      validate: fromPromise(async () => script.validations?.[v++] ?? { findings: [] }),
      runTests: fromPromise(async () => script.tests?.[t++] ?? { passed: true, failures: [] }),
      buildRepair: fromPromise(async ({ input: i }) => ({ prompt: `repair #${i.iteration}: ${i.failures.map((f) => f.id).join(',')}${i.findings.map((f) => f.rule).join(',')}` })),
      commit: fromPromise(async () => ({ sha: 'abc123' })),
    },
  });
  return { machine, modelInputs };
}

function run(script: Script, input: Partial<{ maxIterations: number; maxTokens: number; maxSteps: number }> = {}) {
  const states: string[] = [];
  const { machine, modelInputs } = fakes(script);
  const actor = createActor(machine, {
    input: { task: 'fix it', budget: { maxTokens: input.maxTokens ?? 1_000_000 }, maxIterations: input.maxIterations ?? 3, maxStepsPerPhase: input.maxSteps },
  });
  actor.subscribe((s) => states.push(JSON.stringify(s.value)));
  actor.start();
  return { done: toPromise(actor), states, modelInputs, actor };
}

const failing = (id: string): TestActorOutput => ({ passed: false, failures: [{ id, file: 'a.test.ts', fullName: id, status: 'failed', message: 'expected 1' }] });
const errorFinding: Finding = { validator: 'imports', file: 'src/a.ts', line: 1, column: 1, rule: 'imports/unresolved', message: 'no module', severity: 'error' };

describe('loop machine transitions', () => {
  it('plan → edit → validate → test → commit → resolved', async () => {
    const { done, states } = await run({ replies: [tool('read_file', { path: 'a' }), text('plan'), tool('str_replace', {}), text('summary')] });
    const out = await done;
    expect(out.status).toBe('resolved');
    expect(out.commitSha).toBe('abc123');
    expect(out.plan).toBe('plan');
    expect(out.summary).toBe('summary');
    expect(out.iterations).toBe(1);
    expect(out.steps).toBe(4);
    expect(out.usage.inputTokens).toBe(400);
    expect(out.usd).toBeCloseTo(0.04);
    expect(out.touchedFiles).toEqual(['src/a.ts']);
    const seen = states.join(' ');
    for (const s of ['{"plan":"acting"}', '{"edit":"thinking"}', '"validate"', '"test"', '"commit"', '"resolved"']) expect(seen).toContain(s);
  });

  it('a failing test goes through repair and the repair prompt reaches the model', async () => {
    const { done, states, modelInputs } = await run({ replies: [text('plan'), text('first try'), text('second try')], tests: [failing('x::y'), { passed: true, failures: [] }] });
    const out = await done;
    expect(out.status).toBe('resolved');
    expect(out.iterations).toBe(2);
    expect(states).toContain('"repair"');
    const last = modelInputs.at(-1)!.messages.at(-1)!;
    expect(last.content[0]).toMatchObject({ type: 'text', text: 'repair #1: x::y' });
  });

  it('error findings skip the tests and go to repair', async () => {
    const tests: TestActorOutput[] = [];
    const { done, states } = await run({ replies: [text('plan'), text('a'), text('b')], validations: [{ findings: [errorFinding] }, { findings: [] }], tests });
    expect((await done).status).toBe('resolved');
    const iValidate = states.indexOf('"validate"');
    expect(states[iValidate + 1]).not.toBe('"test"');
  });

  it('ends in max_iterations when the checks keep failing', async () => {
    const { done } = await run({ replies: [text('plan'), text('a'), text('b')], tests: [failing('t1'), failing('t2')] }, { maxIterations: 2 });
    const out = await done;
    expect(out.status).toBe('max_iterations');
    expect(out.iterations).toBe(2);
    expect(out.reason).toMatch(/2 of 2 iterations/);
    expect(out.failures[0]!.id).toBe('t2');
  });

  it('ends in budget_exhausted when the pre-flight refuses a call', async () => {
    const { done } = await run({ replies: [text('plan')], modelError: new BudgetError('budget_preflight', 'token budget: 300 used') });
    const out = await done;
    expect(out.status).toBe('budget_exhausted');
    expect(out.reason).toContain('token budget');
    expect(out.steps).toBe(1);
  });

  it('ends in budget_exhausted when usage already reached the cap', async () => {
    const { done } = await run({ replies: [text('plan'), text('never sent')] }, { maxTokens: 300 });
    const out = await done;
    expect(out.status).toBe('budget_exhausted');
    expect(out.steps).toBe(1);
  });

  it('ends in failed with the reason on a model error', async () => {
    const { done } = await run({ replies: [], modelError: new Error('401 invalid x-api-key') });
    const out = await done;
    expect(out.status).toBe('failed');
    expect(out.reason).toBe('model: 401 invalid x-api-key');
  });

  it(`stops a runaway loop after ${REPEATED_CALL_LIMIT} identical tool calls`, async () => {
    const same = () => reply([{ type: 'tool_use', id: `r${idc++}`, name: 'read_file', input: { path: 'a.ts' } }]);
    const { done } = await run({ replies: [same(), same(), same(), same()] });
    const out = await done;
    expect(out.status).toBe('failed');
    expect(out.reason).toMatch(/repeated_action/);
    expect(out.steps).toBe(REPEATED_CALL_LIMIT);
  });

  it('stops at the per-phase step cap', async () => {
    const { done } = await run({ replies: [tool('search', { pattern: 'a' }), tool('search', { pattern: 'b' }), tool('search', { pattern: 'c' })] }, { maxSteps: 2 });
    const out = await done;
    expect(out.status).toBe('failed');
    expect(out.reason).toBe('step cap reached in plan phase');
  });

  it('a snapshot persisted mid-run restores and finishes the run', async () => {
    const { actor, done } = await run({ replies: [text('plan'), text('a'), text('b')], tests: [failing('t'), { passed: true, failures: [] }] });
    const snaps: unknown[] = [];
    actor.subscribe((s) => {
      if (s.value === 'repair') snaps.push(JSON.parse(JSON.stringify(actor.getPersistedSnapshot())));
    });
    await done;
    expect(snaps).toHaveLength(1);
    // Resume from 'repair' with fresh actors: only the repair prompt and the last edit call are redone.
    const resumed = fakes({ replies: [text('b')] });
    const again = createActor(resumed.machine, { snapshot: snaps[0] as never, input: { task: 'ignored when a snapshot is given', budget: { maxTokens: 1 }, maxIterations: 1 } });
    again.start();
    const out = await toPromise(again);
    expect(out.status).toBe('resolved');
    expect(out.iterations).toBe(2);
    expect(resumed.modelInputs).toHaveLength(1);
    expect(resumed.modelInputs[0]!.step).toBe(2); // two calls were made before the snapshot
  });
});
