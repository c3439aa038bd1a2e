/** An edit the model calls while planning ends the plan and is applied as the first step of edit — no turn wasted on a refusal. */
import { describe, expect, it } from 'vitest';
import { PLAN_EDIT_INSTRUCTION } from '../../src/machine/prompts.ts';
import { reply, run, text, tool } from './harness.ts';

describe('an edit proposed while planning', () => {
  it('ends the plan and applies that reply (read-only calls included) as the first edit step', async () => {
    const planWithEdit = reply([
      { type: 'text', text: 'The bug is in add(); fixing it.' },
      { type: 'tool_use', id: 'p1', name: 'read_file', input: { path: 'src/a.ts' } },
      { type: 'tool_use', id: 'p2', name: 'str_replace', input: { path: 'src/a.ts', old_str: 'a - b', new_str: 'a + b' } },
    ]);
    const { done, states, toolInputs, modelInputs } = run({ replies: [tool('read_file', { path: 'src/a.ts' }), planWithEdit, text('done: fixed add')] });
    const out = await done;
    expect(out.status).toBe('resolved');
    expect(out.plan).toBe('The bug is in add(); fixing it.');
    expect(out.steps).toBe(3); // no extra turn spent on "not available while planning"
    expect(out.touchedFiles).toEqual(['src/a.ts']);
    expect(states).toContain('{"edit":"applyingPlanEdit"}');
    // The plan-phase reply went to the tools as an edit step, both calls in it.
    expect(toolInputs.map((t) => t.phase)).toEqual(['plan', 'edit']);
    expect(toolInputs[1]!.response).toBe(planWithEdit);
    // The next model call sees the tool results and the instruction in one user turn, right after the tool calls.
    const msgs = modelInputs[2]!.messages;
    expect(msgs.at(-2)!.role).toBe('assistant');
    const last = msgs.at(-1)!;
    expect(last.content.map((b) => b.type)).toEqual(['tool_result', 'tool_result', 'text']);
    expect(last.content[2]).toMatchObject({ type: 'text', text: PLAN_EDIT_INSTRUCTION });
  });

  it('read-only tool calls while planning stay in plan', async () => {
    const { done, states } = run({ replies: [tool('search', { pattern: 'x' }), tool('check_pure', { path: 'a.ts', checks: '' }), text('plan'), text('summary')] });
    expect((await done).status).toBe('resolved');
    expect(states).not.toContain('{"edit":"applyingPlanEdit"}');
    expect(states.filter((s) => s === '{"plan":"acting"}').length).toBeGreaterThan(0);
  });
});
