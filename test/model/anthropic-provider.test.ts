import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ModelError } from '../../src/errors.ts';
import { AnthropicProvider, createAnthropicFromEnv } from '../../src/model/anthropic.ts';
import type { ModelRequest, ToolSpec } from '../../src/model/types.ts';
import { startAnthropicServer, type AnthropicTestServer, type Scripted } from '../support/anthropic-server.ts';

const KEY = 'sk-ant-test-key';
const tools: ToolSpec[] = [
  { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'str_replace', description: 'Replace text', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
];
// ~2,000 tokens of stable context so the prefix is above the 1,024-token cache minimum.
const bigContext = 'repo map: ' + 'src/slugify.ts exports slugify(text: string): string\n'.repeat(160);

function request(over: Partial<ModelRequest> = {}): ModelRequest {
  return { system: 'You are patchloop.', context: bigContext, tools, maxTokens: 1024, messages: [{ role: 'user', content: [{ type: 'text', text: 'Plan the change.' }] }], ...over };
}

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: Scripted[], maxRetries = 0): Promise<{ server: AnthropicTestServer; provider: AnthropicProvider }> {
  server = await startAnthropicServer({ script, apiKey: KEY });
  return { server, provider: new AnthropicProvider({ apiKey: KEY, baseURL: server.baseURL, maxRetries }) };
}

const toolTurn: Scripted = { kind: 'message', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'src/slugify.ts' } }] };

describe('AnthropicProvider against the local wire server', () => {
  it('returns a tool_use turn and sends model, key and no sampling parameters', async () => {
    const { server, provider } = await setup([toolTurn]);
    const res = await provider.complete(request());
    expect(res.stopReason).toBe('tool_use');
    expect(res.provider).toBe('anthropic');
    expect(res.model).toBe('claude-sonnet-5-5');
    expect(res.content[1]).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'src/slugify.ts' } });
    expect(server.requests).toHaveLength(1);
    const [r] = server.requests;
    expect(r!.path).toBe('/v1/messages');
    // SDK 1.14 sends the key as a Bearer token (client.ts apiKeyAuth), not x-api-key.
    expect(r!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(r!.headers['anthropic-version']).toBeTruthy();
    expect(r!.body.model).toBe('claude-sonnet-5-5');
    for (const k of ['temperature', 'top_p', 'top_k', 'tool_choice']) expect(r!.body).not.toHaveProperty(k);
  });

  it('places four cache_control breakpoints: last tool, system, context, last message block', async () => {
    const { server, provider } = await setup([toolTurn]);
    await provider.complete(request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Plan.' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig-1' }, { type: 'tool_use', id: 't0', name: 'read_file', input: { path: 'a' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't0', content: 'file text' }] },
      ],
    }));
    const body = server.requests[0]!.body;
    expect(body.tools[0].cache_control).toBeUndefined();
    expect(body.tools[1].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.system).toEqual([
      { type: 'text', text: 'You are patchloop.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: bigContext, cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages[2].content[0]).toMatchObject({ type: 'tool_result', cache_control: { type: 'ephemeral' } });
    // Thinking goes back unchanged (signature intact) and without a breakpoint.
    expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'hmm', signature: 'sig-1' });
    expect(JSON.stringify(body).match(/cache_control/g)).toHaveLength(4);
  });

  it('uses the 1h TTL on every breakpoint when asked', async () => {
    server = await startAnthropicServer({ script: [toolTurn] });
    const provider = new AnthropicProvider({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, cacheTtl: '1h' });
    await provider.complete(request());
    expect(JSON.stringify(server.requests[0]!.body).match(/"ttl":"1h"/g)).toHaveLength(4);
  });

  it('maps usage with cache fields: first call writes, the grown conversation reads', async () => {
    const { provider } = await setup([toolTurn, { kind: 'message', content: [{ type: 'text', text: 'Plan: fix it.' }] }]);
    const first = request();
    const r1 = await provider.complete(first);
    expect(r1.usage.cacheReadTokens).toBe(0);
    expect(r1.usage.cacheWriteTokens).toBeGreaterThan(1024);
    const second = request({
      messages: [...first.messages, { role: 'assistant', content: r1.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export function slugify() {}' }] }],
    });
    const r2 = await provider.complete(second);
    expect(r2.usage.cacheReadTokens).toBe(r1.usage.cacheWriteTokens); // all of turn 1 read back
    expect(r2.usage.cacheWriteTokens).toBeGreaterThan(0); // only the new turn is written
    expect(r2.usage.cacheWriteTokens).toBeLessThan(100);
    expect(r2.usage.outputTokens).toBeGreaterThan(0);
  });

  it('changed context misses the cache (prefix no longer byte-identical)', async () => {
    const { provider } = await setup([toolTurn, toolTurn]);
    const r1 = await provider.complete(request());
    const r2 = await provider.complete(request({ context: bigContext + 'x' }));
    expect(r1.usage.cacheWriteTokens).toBeGreaterThan(0);
    // Tools + system alone are under the cache minimum, so nothing can be read.
    expect(r2.usage.cacheReadTokens).toBe(0);
  });

  it('a 429 with retry-after-ms is retried by the standalone SDK and then succeeds', async () => {
    const { server, provider } = await setup([{ kind: 'error', status: 429, headers: { 'retry-after-ms': '5' } }, toolTurn], 2);
    const res = await provider.complete(request());
    expect(res.stopReason).toBe('tool_use');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['x-stainless-retry-count']).toBe('1');
  });

  it('with maxRetries 0 a 429 surfaces as a retryable ModelError carrying retry-after', async () => {
    const { server, provider } = await setup([{ kind: 'error', status: 429, headers: { 'retry-after': '7' } }]);
    const err = await provider.complete(request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 7000 });
    expect(server.requests).toHaveLength(1);
  });

  it('529 overloaded is retryable with code overloaded', async () => {
    const { provider } = await setup([{ kind: 'error', status: 529 }]);
    await expect(provider.complete(request())).rejects.toMatchObject({ code: 'overloaded', retryable: true, status: 529 });
  });

  it.each([
    [401, 'authentication_error', 'bad key', 'auth_failed'],
    [404, 'not_found_error', 'model: claude-nope', 'model_not_found'],
    [400, 'invalid_request_error', 'This model is not available in your region.', 'region_unavailable'],
    [400, 'invalid_request_error', 'messages: field required', 'bad_request'],
  ])('%i %s → %s, not retryable', async (status, type, message, code) => {
    const { provider } = await setup([{ kind: 'error', status, type, message }]);
    await expect(provider.complete(request())).rejects.toMatchObject({ code: `${code}`, retryable: false, status });
  });

  it('a connection reset is a retryable connection error', async () => {
    const { provider } = await setup([{ kind: 'reset' }]);
    await expect(provider.complete(request())).rejects.toMatchObject({ code: 'connection', retryable: true });
  });

  it('a server rejecting the key yields auth_failed naming ANTHROPIC_API_KEY', async () => {
    server = await startAnthropicServer({ script: [toolTurn], apiKey: 'another' });
    const provider = new AnthropicProvider({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
    await expect(provider.complete(request())).rejects.toThrow(/check ANTHROPIC_API_KEY/);
  });
});

describe('createAnthropicFromEnv', () => {
  it('missing ANTHROPIC_API_KEY → one-line ConfigError with the fix', () => {
    let err: unknown;
    try {
      createAnthropicFromEnv({ ANTHROPIC_API_KEY: '  ' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('missing_api_key');
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as Error).message).toBe('ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-… or run with --provider replay --transcript <file>');
  });

  it('reads the key and base URL from env', async () => {
    server = await startAnthropicServer({ script: [toolTurn], apiKey: KEY });
    const provider = createAnthropicFromEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL }, { maxRetries: 0 });
    await provider.complete(request());
    expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
  });
});
