import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ModelError } from '../../src/errors.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { estimateInputTokens } from '../../src/model/estimate.ts';
import { parseTranscript, RecordingProvider, ReplayProvider } from '../../src/model/replay.ts';
import type { ModelRequest, ModelResponse } from '../../src/model/types.ts';
import { startAnthropicServer } from '../support/anthropic-server.ts';

const turn1 = { model: 'claude-sonnet-5-5', provider: 'replay', stopReason: 'tool_use', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'src/slugify.ts' } }] };
const turn2 = { model: 'claude-sonnet-5-5', stopReason: 'end_turn', content: [{ type: 'text', text: 'Plan: trim dashes.' }] };
const given = { inputTokens: 11, outputTokens: 22, cacheReadTokens: 33, cacheWriteTokens: 44 };
const jsonl = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

const bigContext = 'src/slugify.ts: export function slugify(s: string): string\n'.repeat(120);
function req(messages: ModelRequest['messages'], context = bigContext): ModelRequest {
  return { system: 'You are patchloop.', context, tools: [], maxTokens: 1000, messages };
}
const plan: ModelRequest['messages'] = [{ role: 'user', content: [{ type: 'text', text: 'Plan the change.' }] }];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchloop-replay-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseTranscript', () => {
  it('reads lines in order and skips blank lines', () => {
    const lines = parseTranscript(jsonl(turn1) + '\n' + jsonl({ ...turn2, usage: given }), 't.jsonl');
    expect(lines.map((l) => l.stopReason)).toEqual(['tool_use', 'end_turn']);
    expect(lines[1]!.usage).toEqual(given);
  });

  it.each([
    ['bad JSON', jsonl(turn1) + '{"model": \n', /^t\.jsonl:2: not valid JSON/],
    ['missing field', jsonl({ model: 'm', content: [] }), /^t\.jsonl:1: stopReason: /],
    ['misspelt key', jsonl({ ...turn2, stop_reason: 'end_turn' }), /^t\.jsonl:1: .*stop_reason/],
    ['bad block', jsonl({ ...turn2, content: [{ type: 'tool_use', id: 'x' }] }), /^t\.jsonl:1: content\.0\.name: /],
    ['negative usage', jsonl({ ...turn2, usage: { ...given, inputTokens: -1 } }), /^t\.jsonl:1: usage\.inputTokens: /],
    ['duplicate tool id', jsonl(turn1, turn1), /^t\.jsonl:2: tool_use id "t1" was already used on line 1/],
    ['empty', '\n\n', /^t\.jsonl: transcript is empty/],
  ])('%s → ConfigError naming file:line', (_name, text, re) => {
    expect(() => parseTranscript(text, 't.jsonl')).toThrow(re);
    expect(() => parseTranscript(text, 't.jsonl')).toThrow(ConfigError);
  });
});

describe('ReplayProvider', () => {
  it('answers turns in order, then throws replay_exhausted (not retryable)', async () => {
    const p = new ReplayProvider(parseTranscript(jsonl(turn1, turn2), 't.jsonl'), { source: 't.jsonl' });
    expect(p.name).toBe('replay');
    expect(p.model).toBe('claude-sonnet-5-5');
    expect((await p.complete(req(plan))).content[1]).toMatchObject({ type: 'tool_use', id: 't1' });
    expect((await p.complete(req(plan))).stopReason).toBe('end_turn');
    const err = await p.complete(req(plan)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: 'replay_exhausted', retryable: false });
    expect((err as Error).message).toContain('t.jsonl holds 2 turns and the run asked for turn 3');
  });

  it('uses recorded usage verbatim', async () => {
    const p = new ReplayProvider(parseTranscript(jsonl({ ...turn2, usage: given }), 't'));
    expect((await p.complete(req(plan))).usage).toEqual(given);
  });

  it('estimates usage and simulates the prompt cache of the unchanged prefix', async () => {
    const p = new ReplayProvider(parseTranscript(jsonl(turn1, turn2, turn2), 't'));
    const r1 = await p.complete(req(plan));
    const total1 = estimateInputTokens(req(plan));
    expect(r1.usage.cacheReadTokens).toBe(0);
    expect(r1.usage.cacheWriteTokens + r1.usage.inputTokens).toBe(total1);
    expect(r1.usage.cacheWriteTokens).toBeGreaterThan(1024);
    expect(r1.usage.outputTokens).toBe(Math.ceil(('Let me look.'.length + 'read_file'.length + '{"path":"src/slugify.ts"}'.length) / 4));

    const grown = [...plan, { role: 'assistant' as const, content: r1.content }, { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 't1', content: 'code' }] }];
    const r2 = await p.complete(req(grown));
    expect(r2.usage.cacheReadTokens).toBe(total1); // the whole first request was written, now read
    expect(r2.usage.cacheReadTokens + r2.usage.cacheWriteTokens + r2.usage.inputTokens).toBe(estimateInputTokens(req(grown)));

    // A different context shares no prefix beyond the (tiny, uncached) tools+system.
    const r3 = await p.complete(req(plan, bigContext.replace('slugify', 'kebab')));
    expect(r3.usage.cacheReadTokens).toBe(0);
  });

  it('a small prompt is below the cache minimum: all input is uncached', async () => {
    const p = new ReplayProvider(parseTranscript(jsonl(turn2, turn2), 't'));
    await p.complete(req(plan, 'tiny'));
    const r = await p.complete(req(plan, 'tiny'));
    expect(r.usage).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0, inputTokens: estimateInputTokens(req(plan, 'tiny')) });
  });

  it('expired cache entries are not read (injected clock, 5-minute TTL)', async () => {
    let now = 0;
    const p = new ReplayProvider(parseTranscript(jsonl(turn2, turn2, turn2), 't'), { cache: { now: () => now } });
    await p.complete(req(plan));
    now += 4 * 60_000;
    expect((await p.complete(req(plan))).usage.cacheReadTokens).toBeGreaterThan(0); // hit refreshes TTL
    now += 5 * 60_000 + 1;
    expect((await p.complete(req(plan))).usage.cacheReadTokens).toBe(0);
  });

  it('fromFile: unreadable path → ConfigError transcript_unreadable', async () => {
    await expect(ReplayProvider.fromFile(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'transcript_unreadable' });
  });
});

describe('RecordingProvider', () => {
  it('turns a live Anthropic run into a transcript that replays identically', async () => {
    const server = await startAnthropicServer({
      script: [
        { kind: 'message', content: [{ type: 'thinking', thinking: 'look first', signature: 'sig' }, { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: { path: 'a.ts' } }] },
        { kind: 'message', content: [{ type: 'text', text: 'done' }] },
      ],
    });
    try {
      const path = join(dir, 'runs', 'transcript.jsonl');
      const live = new RecordingProvider(new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), { path });
      const deltas: string[] = [];
      const got: ModelResponse[] = [await live.complete(req(plan)), await live.complete(req(plan), undefined, { onText: (d) => deltas.push(d) })];
      expect(deltas.join('')).toBe('done'); // options reach the wrapped provider (streamed)
      expect(server.requests[1]!.body.stream).toBe(true);
      const text = await readFile(path, 'utf8');
      expect(text.trim().split('\n')).toHaveLength(2);
      const replay = await ReplayProvider.fromFile(path);
      for (const g of got) {
        const r = await replay.complete(req(plan));
        expect(r.content).toEqual(g.content);
        expect(r.usage).toEqual(g.usage);
        expect(r.model).toBe(g.model);
      }
      expect(server.requests).toHaveLength(2);
      expect((await live.countTokens!(req(plan))).source).toBe('api'); // count passes through
    } finally {
      await server.close();
    }
  });

  it('does not record failed calls', async () => {
    const path = join(dir, 't.jsonl');
    await writeFile(path, '');
    const rec = new RecordingProvider(new ReplayProvider(parseTranscript(jsonl(turn2), 't')), { path });
    await rec.complete(req(plan));
    await expect(rec.complete(req(plan))).rejects.toMatchObject({ code: 'replay_exhausted' });
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
