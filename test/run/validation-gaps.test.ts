/**
 * A validator that could not run (crashed: e.g. the sandboxed worker did not start) is not a silent
 * pass: summary.json names it (`validationGaps`), the run's summary and `patchloop show` print it.
 * Before 2026-12-03 it showed only as a `skipped` entry inside the JSON trace. Real SDK over real
 * HTTP, real git; the validation runner is injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startAnthropicServer, type AnthropicTestServer, type Scripted } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask } from '../../src/run/run-task.ts';
import { renderSummary } from '../../src/cli/render.ts';
import { renderStep } from '../../src/cli/commands/history.ts';
import type { ValidationReport } from '../../src/validate/types.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { scratchRepo } from './scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const script: Scripted[] = [
  { kind: 'message', content: [{ type: 'tool_use', id: 't1', name: 'str_replace', input: { path: 'add.js', old_str: 'a - b', new_str: 'a + b' } }] },
  { kind: 'message', content: [{ type: 'text', text: 'add() now adds.' }] },
];
const CRASH = 'crashed: validation worker did not connect within 30000 ms';

/** A resolved run whose every validation reports `skipped`. */
async function run(skipped: ValidationReport['skipped']) {
  server = await startAnthropicServer({ script });
  return runTask(
    { repo: scratchRepo(), task: 'add() should add', testCmd: 'grep -q "a + b" add.js', maxIterations: 3, budget: { maxTokens: 200_000 } },
    {
      provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0,
      createValidation: () => ({ run: async () => ({ findings: [], ran: ['syntax'], skipped, autoFixes: [], durationMs: 1 }) }),
    },
  );
}

describe('validation gaps', () => {
  it('a crashed validator is named in the summary, its rendering and show; one skipped by design is not', async () => {
    const summary = await run([{ validator: 'types', reason: CRASH }, { validator: 'lint', reason: 'no ESLint flat config (eslint.config.js) at the repository root or above the touched files' }]);
    expect(summary.status).toBe('resolved');
    expect(summary.validationGaps).toEqual([`types: ${CRASH}`]);
    expect(renderSummary(summary)).toContain(`validation NOT whole, the patch was not checked by: types: ${CRASH}`);
    const shown = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl')).map((e) => renderStep(e, false)).join('\n');
    expect(shown).toContain(`NOT RUN types: ${CRASH}`);
    expect(shown).not.toContain('NOT RUN lint');
  });

  it('a run whose validation ran whole has no gaps', async () => {
    const summary = await run([{ validator: 'lint', reason: 'disabled by configuration' }]);
    expect(summary.status).toBe('resolved');
    expect(summary.validationGaps).toBeUndefined();
    expect(renderSummary(summary)).not.toContain('NOT whole');
  });
});
