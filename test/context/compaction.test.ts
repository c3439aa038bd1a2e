/** Compaction of long runs: old tool results become summaries; the prefix, task, plan and failures stay. */
import { describe, expect, it } from 'vitest';
import { compactMessages, createCompactor } from '../../src/context/compaction.ts';
import { requestSegments } from '../../src/model/estimate.ts';
import type { Message, ModelRequest } from '../../src/model/types.ts';

const PLAN_INSTRUCTION = 'Plan the change.';
const PLAN = 'Plan: change parseRecord in src/parse.ts.';
const FAILURE = 'Tests failed: src/parse.test.ts::escaped quotes > doubled quote (expected 27" monitor)';

/** A run history: plan instruction, `reads` read_file turns, the plan, a repair prompt, one more read. */
function history(reads: number): Message[] {
  const m: Message[] = [{ role: 'user', content: [{ type: 'text', text: PLAN_INSTRUCTION }] }];
  for (let i = 0; i < reads; i++) {
    m.push({ role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'read_file', input: { path: `src/f${i}.ts`, start_line: 1, end_line: 400 } }] });
    m.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: `export const f${i} = 1;\n${'x'.repeat(4000)}` }] });
  }
  m.push({ role: 'assistant', content: [{ type: 'text', text: PLAN }] });
  m.push({ role: 'user', content: [{ type: 'text', text: FAILURE }] });
  m.push({ role: 'assistant', content: [{ type: 'tool_use', id: 'last', name: 'read_file', input: { path: 'src/parse.ts' } }] });
  m.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'last', content: 'latest read, kept whole' }] });
  return m;
}

const texts = (messages: Message[]) => messages.flatMap((m) => m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])));
const results = (messages: Message[]) => messages.flatMap((m) => m.content.flatMap((b) => (b.type === 'tool_result' ? [b.content] : [])));

describe('compactMessages', () => {
  const policy = { thresholdTokens: 5_000, keepRecentMessages: 4 };

  it('leaves a conversation under the threshold untouched', () => {
    const small = history(2);
    expect(compactMessages(small, policy)).toEqual({ messages: small, cut: 0 });
  });

  it('summarises old tool results and keeps the task, plan, failures, tool calls and the latest result', () => {
    const long = history(12);
    const r = compactMessages(long, policy);
    expect(r.event).toMatchObject({ cut: long.length - 4, replaced: 12 });
    expect(r.event!.tokensAfter).toBeLessThan(policy.thresholdTokens);
    expect(r.event!.tokensBefore).toBeGreaterThan(policy.thresholdTokens);
    expect(texts(r.messages)).toEqual([PLAN_INSTRUCTION, PLAN, FAILURE]);
    expect(results(r.messages)[0]).toMatch(/^\[compacted earlier result\] read_file src\/f0\.ts lines 1-400: ok, 4021 chars — export const f0 = 1;/);
    expect(results(r.messages).at(-1)).toBe('latest read, kept whole');
    expect(r.messages.map((m) => m.content.filter((b) => b.type === 'tool_use').length)).toEqual(long.map((m) => m.content.filter((b) => b.type === 'tool_use').length));
  });

  it('keeps the cached prefix byte-identical and the compacted history stable between compactions', () => {
    const long = history(12);
    const compactor = createCompactor(policy);
    const first = compactor(long);
    const grown: Message[] = [...long, { role: 'assistant', content: [{ type: 'text', text: 'next' }] }];
    const second = compactor(grown);
    expect(second.event).toBeUndefined();
    expect(second.messages.slice(0, first.messages.length)).toEqual(first.messages);
    const req = (messages: Message[]): ModelRequest => ({ system: 'S', context: '<repo_map>m</repo_map>', tools: [], messages, maxTokens: 10 });
    expect(requestSegments(req(first.messages)).stable).toEqual(requestSegments(req(long)).stable);
  });
});
