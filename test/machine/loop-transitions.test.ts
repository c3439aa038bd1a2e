import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { REPEATED_CALL_LIMIT } from '../../src/machine/loop.ts';
import type { TestActorOutput } from '../../src/machine/context.ts';
import { BudgetError } from '../../src/errors.ts';
import { errorFinding, failing, fakes, nextId, reply, run, text, tool } from './harness.ts';

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
    const same = () => reply([{ type: 'tool_use', id: nextId(), name: 'read_file', input: { path: 'a.ts' } }]);
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
