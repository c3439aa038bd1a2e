/** A run whose model edits while planning: the edit lands as the first edit step, over the real SDK and real git. */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask } from '../../src/run/run-task.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { scratchRepo } from './scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('an edit called while planning', () => {
  it('is applied as the first edit step; two model calls resolve the task and the trace shows it', async () => {
    server = await startAnthropicServer({
      script: [
        {
          kind: 'message',
          content: [
            { type: 'text', text: 'add() subtracts; fixing it.' },
            { type: 'tool_use', id: 'toolu_r', name: 'read_file', input: { path: 'add.js' } },
            { type: 'tool_use', id: 'toolu_e', name: 'str_replace', input: { path: 'add.js', old_str: 'a - b', new_str: 'a + b' } },
          ],
        },
        { kind: 'message', content: [{ type: 'text', text: 'Changed add.js: add() now adds.' }] },
      ],
    });
    const summary = await runTask(
      { repo: scratchRepo(), task: 'add() should add', testCmd: 'grep -q "a + b" add.js', maxIterations: 2, budget: { maxTokens: 200_000 } },
      { provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0 },
    );
    expect(summary.status).toBe('resolved');
    expect(summary.steps).toBe(2);
    expect(summary.plan).toBe('add() subtracts; fixing it.');
    expect(readFileSync(summary.patchPath, 'utf8')).toContain('+export const add = (a, b) => a + b;');

    const calls = server.requests.filter((r) => r.path === '/v1/messages');
    expect(calls).toHaveLength(2);
    const lastTurn = calls[1]!.body.messages.at(-1);
    expect(lastTurn.role).toBe('user');
    expect(lastTurn.content.map((b: { type: string }) => b.type)).toEqual(['tool_result', 'tool_result', 'text']);
    expect(lastTurn.content.some((b: { is_error?: boolean }) => b.is_error)).toBe(false);

    const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
    const states = trace.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    expect(states.slice(0, 3)).toEqual(['plan.thinking', 'edit.applyingPlanEdit', 'edit.thinking']);
    const edit = trace.find((e) => e.type === 'tool_call' && e.name === 'str_replace');
    expect(edit?.type === 'tool_call' && edit.ok).toBe(true);
    const secondCall = trace.filter((e) => e.type === 'model_call')[1]!;
    expect(edit!.seq).toBeLessThan(secondCall.seq); // applied before the edit phase's first model call
  });
});
