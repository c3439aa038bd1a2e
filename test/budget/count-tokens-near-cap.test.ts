/**
 * count_tokens is a round trip: it is paid only when the local estimate is within the safety margin
 * of the remaining budget, and then it decides. Real SDK over real HTTP (the server counts requests).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { estimateInputTokens } from '../../src/model/estimate.ts';
import { COUNT_TOKENS_MARGIN, needsExactCount } from '../../src/budget/policy.ts';
import { preflightCall } from '../../src/run/preflight-call.ts';
import { BudgetError } from '../../src/errors.ts';
import type { ModelRequest, Usage } from '../../src/model/types.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask } from '../../src/run/run-task.ts';
import { scratchRepo } from '../run/scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const used = (n: number): Usage => ({ inputTokens: n, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
const request: ModelRequest = {
  system: 'You are patchloop.', context: 'task: fix add\n' + 'src/add.ts\n'.repeat(200),
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Plan the change.' }] }], tools: [], maxTokens: 1000,
};
const countCalls = () => server!.requests.filter((r) => r.path === '/v1/messages/count_tokens').length;

async function provider() {
  server = await startAnthropicServer({ script: [] });
  return new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
}

describe('needsExactCount', () => {
  it(`is true only when estimate + output reach the last ${COUNT_TOKENS_MARGIN * 100}% of what is left`, () => {
    // 10 000 left: the threshold is 8 000 tokens of estimated input + output.
    expect(needsExactCount({ maxTokens: 20_000 }, { usage: used(10_000), usd: 0 }, 6_999, 1_000)).toBe(false);
    expect(needsExactCount({ maxTokens: 20_000 }, { usage: used(10_000), usd: 0 }, 7_001, 1_000)).toBe(true);
    // USD: $1 left at $0.0001/token → threshold $0.80 = 8 000 tokens.
    expect(needsExactCount({ maxTokens: 1e9, maxUsd: 2 }, { usage: used(0), usd: 1 }, 6_999, 1_000, 0.0001)).toBe(false);
    expect(needsExactCount({ maxTokens: 1e9, maxUsd: 2 }, { usage: used(0), usd: 1 }, 7_001, 1_000, 0.0001)).toBe(true);
  });
});

describe('the pre-flight over the wire', () => {
  it('far from the cap: no count_tokens request, the local estimate decides', async () => {
    const p = await provider();
    const pf = await preflightCall(p, request, { maxTokens: 200_000 }, { usage: used(0), usd: 0 }, 0);
    expect(pf).toEqual({ source: 'local', inputTokens: estimateInputTokens(request), maxOutputTokens: 1000 });
    expect(countCalls()).toBe(0);
  });

  it('near the cap: one count_tokens request, and its exact count decides', async () => {
    const p = await provider();
    const local = estimateInputTokens(request);
    const pf = await preflightCall(p, request, { maxTokens: local + 1200 }, { usage: used(0), usd: 0 }, 0);
    expect(pf.source).toBe('count_tokens');
    expect(countCalls()).toBe(1);
    const counted = server!.requests.find((r) => r.path === '/v1/messages/count_tokens')!;
    expect(counted.body.messages).toHaveLength(1);
    expect(pf.maxOutputTokens).toBe(Math.min(1000, local + 1200 - pf.inputTokens));
  });

  it('the hard cap stays exact: a call the exact count cannot fit is refused and never sent', async () => {
    const p = await provider();
    const exact = (await p.countTokens(request)).inputTokens;
    await expect(preflightCall(p, request, { maxTokens: exact + 100 }, { usage: used(0), usd: 0 }, 0)).rejects.toBeInstanceOf(BudgetError);
    expect(countCalls()).toBe(2); // ours above, then the pre-flight's
    expect(server!.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
  });
});

describe('a whole run with room in the budget', () => {
  it('sends no count_tokens request at all', async () => {
    server = await startAnthropicServer({
      script: [
        { kind: 'message', content: [{ type: 'text', text: 'Plan: nothing to change.' }] },
        { kind: 'message', content: [{ type: 'text', text: 'Done.' }] },
      ],
    });
    const summary = await runTask(
      { repo: scratchRepo(), task: 'check add', testCmd: 'true', maxIterations: 2, budget: { maxTokens: 200_000 } },
      { provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0 },
    );
    expect(summary.status).toBe('resolved');
    expect(server.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2);
    expect(countCalls()).toBe(0);
  });
});
