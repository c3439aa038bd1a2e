import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.ts';
import { OpenAICompatibleProvider } from '../../src/model/openai-compatible.ts';
import { invalidToolInput, type ModelRequest, type ToolSpec } from '../../src/model/types.ts';
import { startOpenAIServer, type OpenAIScripted, type OpenAITestServer } from '../support/openai-server.ts';

const tools: ToolSpec[] = [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
const bigContext = 'src/slugify.ts: export function slugify(s: string): string\n'.repeat(120);
const plan: ModelRequest['messages'] = [{ role: 'user', content: [{ type: 'text', text: 'Plan the change.' }] }];
const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({ system: 'You are patchloop.', context: bigContext, tools, maxTokens: 512, messages: plan, ...over });

let server: OpenAITestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: OpenAIScripted[]): Promise<{ server: OpenAITestServer; provider: OpenAICompatibleProvider }> {
  server = await startOpenAIServer({ script, apiKey: 'sk-test' });
  return { server, provider: new OpenAICompatibleProvider({ model: 'qwen3-coder', baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 }) };
}

const toolCall: OpenAIScripted = { kind: 'message', content: 'Let me look.', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"src/slugify.ts"}' }] };

describe('OpenAICompatibleProvider against the local wire server', () => {
  it('normalises tool_calls to tool_use blocks and sends tools as functions', async () => {
    const { server, provider } = await setup([toolCall]);
    const res = await provider.complete(request());
    expect(res).toMatchObject({ provider: 'openai-compatible', model: 'qwen3-coder', stopReason: 'tool_use' });
    expect(res.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'src/slugify.ts' } },
    ]);
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0]!;
    expect(r.path).toBe('/v1/chat/completions');
    expect(r.headers['authorization']).toBe('Bearer sk-test');
    expect(r.body.model).toBe('qwen3-coder');
    expect(r.body.max_completion_tokens).toBe(512);
    expect(r.body.messages[0]).toEqual({ role: 'system', content: `You are patchloop.\n\n${bigContext}` });
    expect(r.body.tools).toEqual([{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: tools[0]!.input_schema } }]);
    for (const k of ['temperature', 'top_p', 'tool_choice']) expect(r.body).not.toHaveProperty(k);
  });

  it('sends tool_result blocks back as role:tool messages after the assistant tool_calls', async () => {
    const { server, provider } = await setup([{ kind: 'message', content: 'done' }]);
    await provider.complete(request({
      messages: [
        ...plan,
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 's' }, { type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'a' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'no such file', is_error: true }, { type: 'text', text: 'go on' }] },
      ],
    }));
    const msgs = server.requests[0]!.body.messages;
    expect(msgs.slice(2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'ERROR: no such file' },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('malformed tool-argument JSON becomes {__invalid_json: raw}, never a crash, and goes back verbatim', async () => {
    const { server, provider } = await setup([{ kind: 'message', toolCalls: [{ id: 'c9', name: 'read_file', arguments: '{"path": "a.ts"' }] }, { kind: 'message', content: 'ok' }]);
    const res = await provider.complete(request());
    const use = res.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ id: 'c9', name: 'read_file', input: { __invalid_json: '{"path": "a.ts"' } });
    expect(invalidToolInput(use!.type === 'tool_use' ? use!.input : undefined)).toBe('{"path": "a.ts"');
    await provider.complete(request({ messages: [...plan, { role: 'assistant', content: res.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c9', content: 'invalid JSON', is_error: true }] }] }));
    expect(server.requests[1]!.body.messages[2].tool_calls[0].function.arguments).toBe('{"path": "a.ts"');
  });

  it('maps usage: cached prompt tokens are cache reads', async () => {
    const { provider } = await setup([toolCall, { kind: 'message', content: 'plan' }]);
    const r1 = await provider.complete(request());
    expect(r1.usage.cacheReadTokens).toBe(0);
    const r2 = await provider.complete(request({ messages: [...plan, { role: 'assistant', content: r1.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'code' }] }] }));
    expect(r2.usage.cacheReadTokens).toBeGreaterThanOrEqual(1024);
    expect(r2.usage.cacheReadTokens % 128).toBe(0);
    expect(r2.usage.inputTokens).toBeGreaterThan(0);
    expect(r2.usage.cacheWriteTokens).toBe(0);
  });

  it('streams text deltas and assembles streamed tool calls', async () => {
    const { server, provider } = await setup([toolCall]);
    const deltas: string[] = [];
    const res = await provider.complete(request(), undefined, { onText: (d) => deltas.push(d) });
    expect(deltas.join('')).toBe('Let me look.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(res.content[1]).toEqual({ type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'src/slugify.ts' } });
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('a stream reset mid-way is a retryable error', async () => {
    const { provider } = await setup([{ kind: 'reset', afterChunks: 2 }]);
    const err = await provider.complete(request(), undefined, { onText: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).retryable).toBe(true);
  });

  it.each([
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [401, 'auth_failed', false],
    [404, 'model_not_found', false],
  ])('HTTP %i → %s (retryable %s)', async (status, code, retryable) => {
    const { provider } = await setup([{ kind: 'error', status, headers: { 'retry-after': '2' } }]);
    await expect(provider.complete(request())).rejects.toMatchObject({ code, retryable, status, retryAfterMs: 2000 });
  });

  it('countTokens is the local estimate (no count endpoint)', async () => {
    const { server, provider } = await setup([]);
    expect((await provider.countTokens(request())).source).toBe('estimate');
    expect(server.requests).toHaveLength(0);
  });
});
