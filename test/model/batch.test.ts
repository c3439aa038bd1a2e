import { afterEach, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/budget/prices.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { runBatch, submitBatch } from '../../src/model/batch.ts';
import type { ModelRequest } from '../../src/model/types.ts';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';

const req = (task: string): ModelRequest => ({ system: 'You are patchloop.', context: `task ${task}`, tools: [], maxTokens: 256, messages: [{ role: 'user', content: [{ type: 'text', text: 'Plan.' }] }] });

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Message Batches', () => {
  it('submits first turns, polls until ended, collects results by custom_id', async () => {
    server = await startAnthropicServer({
      batchPollsBeforeEnd: 2,
      script: [
        { kind: 'message', content: [{ type: 'text', text: 'plan A' }] },
        { kind: 'error', status: 500 },
        { kind: 'message', content: [{ type: 'tool_use', id: 'toolu_c', name: 'read_file', input: { path: 'c.ts' } }] },
      ],
    });
    const provider = new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const sleeps: number[] = [];
    const polls: string[] = [];
    const results = await runBatch(provider, [{ customId: 'task-a', request: req('a') }, { customId: 'task-b', request: req('b') }, { customId: 'task-c', request: req('c') }], {
      intervalMs: 1000,
      sleep: async (ms) => void sleeps.push(ms),
      onPoll: (s) => polls.push(s),
    });
    expect(polls).toEqual(['in_progress', 'in_progress', 'ended']);
    expect(sleeps).toEqual([1000, 1000]);
    expect(results.get('task-a')).toMatchObject({ ok: true, response: { content: [{ type: 'text', text: 'plan A' }], stopReason: 'end_turn' } });
    expect(results.get('task-b')).toEqual({ customId: 'task-b', ok: false, error: 'errored: api_error: scripted batch error' });
    expect(results.get('task-c')).toMatchObject({ ok: true, response: { stopReason: 'tool_use' } });

    const submit = server.requests[0]!;
    expect(submit.method).toBe('POST');
    expect(submit.path).toBe('/v1/messages/batches');
    expect(submit.body.requests.map((r: { custom_id: string }) => r.custom_id)).toEqual(['task-a', 'task-b', 'task-c']);
    expect(submit.body.requests[0].params).toEqual(provider.buildParams(req('a')));
    expect(server.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'POST /v1/messages/batches',
      // 3 polls, then results() retrieves the batch once more for its results_url.
      ...Array(4).fill('GET /v1/messages/batches/msgbatch_1'),
      'GET /v1/messages/batches/msgbatch_1/results',
    ]);
    // Batch pricing: half of the interactive price.
    const a = results.get('task-a');
    if (!a?.ok) throw new Error('task-a should have succeeded');
    const usage = a.response.usage;
    expect(costUsd('claude-sonnet-5-5', usage, { batch: true })).toBeCloseTo(costUsd('claude-sonnet-5-5', usage) / 2);
  });

  it('times out after maxPolls and refuses bad custom ids', async () => {
    server = await startAnthropicServer({ batchPollsBeforeEnd: 100, script: () => ({ kind: 'message', content: [{ type: 'text', text: 'x' }] }) });
    const provider = new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    await expect(runBatch(provider, [{ customId: 'a', request: req('a') }], { maxPolls: 3, sleep: async () => undefined })).rejects.toMatchObject({ code: 'batch_timeout' });
    await expect(submitBatch(provider, [{ customId: 'has space', request: req('a') }])).rejects.toThrow(/must be 1–64 characters/);
    await expect(submitBatch(provider, [{ customId: 'a', request: req('a') }, { customId: 'a', request: req('b') }])).rejects.toThrow(/used twice/);
    await expect(submitBatch(provider, [])).rejects.toMatchObject({ code: 'bad_batch_request' });
  });
});
