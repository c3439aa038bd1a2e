import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { ModelChain, type ChainEvent, type ChainOptions } from '../../src/model/chain.ts';
import { estimateInputTokens } from '../../src/model/estimate.ts';
import { OpenAICompatibleProvider } from '../../src/model/openai-compatible.ts';
import { toolUses, type ModelRequest } from '../../src/model/types.ts';
import { startAnthropicServer, type AnthropicTestServer, type Scripted } from '../support/anthropic-server.ts';
import { startOpenAIServer, type OpenAIScripted, type OpenAITestServer } from '../support/openai-server.ts';

const req: ModelRequest = {
  system: 'You are patchloop.', context: 'repo map', maxTokens: 256, tools: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Plan.' }] }],
};
const ok: Scripted = { kind: 'message', content: [{ type: 'text', text: 'plan ok' }] };
const toolTurn: Scripted = { kind: 'message', content: [{ type: 'text', text: 'Reading the file now.' }, { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } }] };
const oaOk: OpenAIScripted = { kind: 'message', content: 'fallback ok' };

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function world(a: Scripted[], o: OpenAIScripted[] = [], chain: Partial<ChainOptions> = {}) {
  const anth: AnthropicTestServer = await startAnthropicServer({ script: a });
  const oai: OpenAITestServer = await startOpenAIServer({ script: o });
  servers.push(anth, oai);
  const events: ChainEvent[] = [];
  const sleeps: number[] = [];
  let now = 1_000_000;
  const c = new ModelChain({
    providers: [
      new AnthropicProvider({ apiKey: 'k', baseURL: anth.baseURL, maxRetries: 0 }),
      new OpenAICompatibleProvider({ model: 'gpt-5', baseURL: oai.baseURL, apiKey: 'k', maxRetries: 0 }),
    ],
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    now: () => now,
    onEvent: (e) => events.push(e),
    ...chain,
  });
  return { anth, oai, chain: c, events, sleeps, advance: (ms: number) => void (now += ms) };
}

describe('ModelChain retries', () => {
  it('429 with retry-after: waits what the server asked, then succeeds on the same provider', async () => {
    const w = await world([{ kind: 'error', status: 429, headers: { 'retry-after': '3' } }, ok]);
    const res = await w.chain.complete(req);
    expect(res.provider).toBe('anthropic');
    expect(w.anth.requests).toHaveLength(2);
    expect(w.oai.requests).toHaveLength(0);
    expect(w.sleeps).toEqual([3000]);
    expect(w.events).toEqual([{ type: 'retry', provider: 'anthropic', reason: expect.stringMatching(/^rate_limited/), attempt: 1, delayMs: 3000 }]);
    // The SDK itself did not retry: exactly one request per chain attempt.
    expect(w.anth.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '0']);
  });

  it('529 overloaded: exponential backoff with jitter, then success', async () => {
    const w = await world([{ kind: 'error', status: 529 }, { kind: 'error', status: 529 }, ok], [], { random: () => 0.5 });
    await w.chain.complete(req);
    expect(w.sleeps).toEqual([375, 750]); // 500·2^(n-1) × (0.5 + 0.5·0.5)
    expect(w.events.map((e) => e.reason.split(':')[0])).toEqual(['overloaded', 'overloaded']);
  });

  it('backoff is capped at maxDelayMs', () => {
    const c = new ModelChain({ providers: [{ name: 'x', model: 'm', complete: async () => { throw new Error('unused'); } }], random: () => 0.999999 });
    expect(c.backoffMs(10)).toBeLessThanOrEqual(8000);
    expect(c.backoffMs(10)).toBeGreaterThan(7900);
  });
});

describe('ModelChain fallback', () => {
  it('500 on every attempt: falls back to the next provider after maxAttempts', async () => {
    const err500: Scripted = { kind: 'error', status: 500 };
    const w = await world([err500, err500, err500], [oaOk]);
    const res = await w.chain.complete(req);
    expect(res.provider).toBe('openai-compatible');
    expect(res.model).toBe('gpt-5');
    expect(w.anth.requests).toHaveLength(3);
    expect(w.oai.requests).toHaveLength(1);
    expect(w.events.map((e) => e.type)).toEqual(['retry', 'retry', 'fallback']);
    expect(w.events[2]!.reason).toBe('server_error (3 attempts spent); trying openai-compatible');
  });

  it('region error: falls back at once, no retry', async () => {
    const w = await world([{ kind: 'error', status: 400, message: 'This model is not available in your region.' }], [oaOk]);
    const res = await w.chain.complete(req);
    expect(res.provider).toBe('openai-compatible');
    expect(w.anth.requests).toHaveLength(1);
    expect(w.sleeps).toEqual([]);
    expect(w.events).toEqual([{ type: 'fallback', provider: 'anthropic', reason: 'region_unavailable (not retryable); trying openai-compatible', attempt: 1, delayMs: 0 }]);
  });

  it('a retry-after longer than maxRetryAfterMs is not waited for', async () => {
    const w = await world([{ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }], [oaOk]);
    await w.chain.complete(req);
    expect(w.sleeps).toEqual([]);
    expect(w.events[0]!.reason).toMatch(/retry-after 3600000 ms too long/);
  });

  it('every provider failing → all_providers_failed naming each', async () => {
    const w = await world([{ kind: 'error', status: 401 }], [{ kind: 'error', status: 404, message: 'model gpt-5 not found' }]);
    const err = await w.chain.complete(req).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'all_providers_failed', retryable: false });
    expect((err as Error).message).toMatch(/anthropic: auth_failed .*; openai-compatible: model_not_found/);
  });

  it('a single-provider chain rethrows the provider error as is', async () => {
    const anth = await startAnthropicServer({ script: [{ kind: 'error', status: 401 }] });
    servers.push(anth);
    const c = new ModelChain({ providers: [new AnthropicProvider({ apiKey: 'k', baseURL: anth.baseURL, maxRetries: 0 })], sleep: async () => undefined });
    await expect(c.complete(req)).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('an aborted call is not retried', async () => {
    const w = await world([{ kind: 'error', status: 529 }, ok]);
    const ac = new AbortController();
    ac.abort();
    await expect(w.chain.complete(req, ac.signal)).rejects.toMatchObject({ code: 'aborted' });
    expect(w.oai.requests).toHaveLength(0);
    expect(w.events.filter((e) => e.type === 'fallback')).toHaveLength(0);
  });
});

describe('ModelChain circuit breaker', () => {
  it('opens after N consecutive failures, skips the provider, and closes after a good trial call', async () => {
    const err500: Scripted = { kind: 'error', status: 500 };
    const w = await world([err500, err500, ok], [oaOk, oaOk], { breakerThreshold: 2, breakerOpenMs: 30_000, maxAttempts: 3 });
    expect((await w.chain.complete(req)).provider).toBe('openai-compatible');
    expect(w.anth.requests).toHaveLength(2); // the 2nd failure opened the circuit: no 3rd attempt
    expect(w.events.map((e) => e.type)).toEqual(['retry', 'circuit-open', 'fallback']);
    expect(w.events[1]).toMatchObject({ provider: 'anthropic', delayMs: 30_000, reason: expect.stringMatching(/2 consecutive failures, last server_error/) });

    w.events.length = 0;
    expect((await w.chain.complete(req)).provider).toBe('openai-compatible');
    expect(w.anth.requests).toHaveLength(2); // skipped while open
    expect(w.events).toEqual([{ type: 'fallback', provider: 'anthropic', reason: 'circuit open; trying openai-compatible', attempt: 0, delayMs: 0 }]);

    w.events.length = 0;
    w.advance(30_000);
    expect((await w.chain.complete(req)).provider).toBe('anthropic'); // half-open trial succeeds
    expect(w.events.map((e) => e.type)).toEqual(['circuit-close']);
  });

  it('seeded random faults: retries until success, one retry event per failed request', async () => {
    const anth = await startAnthropicServer({ script: () => ok, randomFailure: { rate: 0.6, seed: 7, status: 529 } });
    servers.push(anth);
    const events: ChainEvent[] = [];
    const c = new ModelChain({ providers: [new AnthropicProvider({ apiKey: 'k', baseURL: anth.baseURL, maxRetries: 0 })], maxAttempts: 20, breakerThreshold: 100, sleep: async () => undefined, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 5; i++) expect((await c.complete(req)).content).toEqual(ok.content);
    const retries = events.filter((e) => e.type === 'retry').length;
    expect(retries).toBeGreaterThan(0);
    expect(anth.requests).toHaveLength(5 + retries);
  });
});

describe('streaming through the chain', () => {
  it('a stream cut mid-way is retried as a whole call: one complete response, tool call not duplicated', async () => {
    const w = await world([{ kind: 'reset', afterEvents: 4 }, toolTurn]);
    const deltas: string[] = [];
    const res = await w.chain.complete(req, undefined, { onText: (d) => deltas.push(d) });
    expect(w.anth.requests).toHaveLength(2);
    expect(w.anth.requests.every((r) => r.body.stream === true)).toBe(true);
    expect(w.events.map((e) => [e.type, e.reason.split(':')[0]])).toEqual([['retry', 'stream_interrupted']]);
    expect(toolUses(res.content)).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } }]);
    expect(res.stopReason).toBe('tool_use');
    // The cut attempt streamed its text (the server's canned partial) before dying; the retry streamed anew.
    expect(deltas.join('')).toBe('partial answer that never ends' + 'Reading the file now.');
  });

  it('Anthropic streaming passes text deltas and thinking through unchanged', async () => {
    const w = await world([{ kind: 'message', content: [{ type: 'thinking', thinking: 'consider', signature: 'sig-9' }, { type: 'text', text: 'Hello there' }] }]);
    const deltas: string[] = [];
    const res = await w.chain.complete(req, undefined, { onText: (d) => deltas.push(d) });
    expect(deltas).toEqual(['Hello ', 'there']);
    expect(res.content).toEqual([{ type: 'thinking', thinking: 'consider', signature: 'sig-9' }, { type: 'text', text: 'Hello there' }]);
    expect(res.usage.outputTokens).toBeGreaterThan(0);
  });
});

describe('token pre-flight', () => {
  it('uses Anthropic count_tokens when reachable, else the local estimate', async () => {
    const w = await world([]);
    const counted = await w.chain.countTokens(req);
    expect(counted.source).toBe('api');
    expect(counted.inputTokens).toBeGreaterThan(0);
    expect(w.anth.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    expect(w.anth.requests.at(-1)!.body).not.toHaveProperty('max_tokens');
    await w.anth.close();
    const est = await w.chain.countTokens(req);
    expect(est).toEqual({ inputTokens: estimateInputTokens(req), source: 'estimate' });
  });

  it('an empty chain is refused', () => {
    expect(() => new ModelChain({ providers: [] })).toThrow(ModelError);
  });
});
