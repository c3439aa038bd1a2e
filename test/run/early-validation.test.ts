/**
 * Validation started while the model writes its next reply (src/run/early-validation.ts): a clean
 * dry run is the validate step's report when the reply ends the edits; a dry run with an error or
 * a type finding, or files edited again since, are validated again. Real SDK over real HTTP, real git.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAnthropicServer, type AnthropicTestServer, type Scripted } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask } from '../../src/run/run-task.ts';
import type { Finding, ValidationReport } from '../../src/validate/types.ts';
import { readTrajectory, type TraceLine } from '../../src/trace/trajectory.ts';
import { scratchRepo } from './scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const edit = (id: string, from: string, to: string): Scripted => ({ kind: 'message', content: [{ type: 'tool_use', id, name: 'str_replace', input: { path: 'add.js', old_str: from, new_str: to } }] });
const done: Scripted = { kind: 'message', content: [{ type: 'text', text: 'add() now adds.' }] };
const report = (findings: Finding[]): ValidationReport => ({ findings, ran: ['syntax'], skipped: [], autoFixes: [], durationMs: 1 });

interface Call { dry: boolean; files: string[]; text: string }

/** A run over `script` whose validation records each call (dry or not, and add.js as it read it) and answers with `answer`. */
async function run(script: Scripted[], answer: ((call: Call) => Finding[]) | null, latencyMs = 0) {
  const mark = mkdtempSync(path.join(os.tmpdir(), 'patchloop-earlyval-'));
  server = await startAnthropicServer({ script, latencyMs });
  const calls: Call[] = [];
  const summary = await runTask(
    { repo: scratchRepo(), task: 'add() should add', testCmd: `echo run >> ${mark}/runs && grep -q "a + b" add.js`, maxIterations: 3, budget: { maxTokens: 200_000 } },
    {
      provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0,
      createValidation: (root) => answer && ({
        run: async (files, opts) => {
          const call = { dry: opts.autoFix === false, files: [...files], text: readFileSync(path.join(root, 'add.js'), 'utf8').trim() };
          calls.push(call);
          return report(answer(call));
        },
      }),
    },
  );
  const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
  const runs = existsSync(path.join(mark, 'runs')) ? readFileSync(path.join(mark, 'runs'), 'utf8').trim().split('\n').length : 0;
  return { summary, trace, calls, runs };
}

const validationLines = (trace: TraceLine[]) => trace.filter((e) => e.type === 'validation');

describe('validation started while the model replies', () => {
  it('a clean dry run is the report when the next reply ends the edits: validated once, tested once', async () => {
    const { summary, trace, calls, runs } = await run([edit('t1', 'a - b', 'a + b'), done], () => [], 300);
    expect(summary.status).toBe('resolved');
    expect(calls).toEqual([{ dry: true, files: ['add.js'], text: 'export const add = (a, b) => a + b;' }]);
    const v = validationLines(trace);
    expect(v).toHaveLength(1);
    expect(v[0]?.type === 'validation' && v[0].earlyMs).toBeGreaterThanOrEqual(0);
    // The early validation's record comes after the model's last reply, in the loop's order.
    const lastCall = trace.filter((e) => e.type === 'model_call').at(-1)!;
    expect(v[0]!.seq).toBeGreaterThan(lastCall.seq);
    expect(runs).toBe(1);
    const t = trace.find((e) => e.type === 'test_run');
    expect(t?.type === 'test_run' && t.passed && t.earlyMs !== undefined).toBe(true);
  });

  it('a dry run with a type finding is not reused: the validate step runs validation itself (auto-fixes on)', async () => {
    const typeFinding: Finding = { validator: 'types', file: 'add.js', line: 1, column: 1, rule: 'TS2304', message: 'x', severity: 'error' };
    const { summary, trace, calls } = await run([edit('t1', 'a - b', 'a + b'), done], (c) => (c.dry ? [typeFinding] : []));
    expect(summary.status).toBe('resolved');
    expect(calls.map((c) => c.dry)).toEqual([true, false]);
    const v = validationLines(trace);
    expect(v).toHaveLength(1);
    expect(v[0]?.type === 'validation' && v[0].earlyMs).toBeUndefined();
    expect(v[0]?.type === 'validation' && v[0].findings).toEqual([]);
  });

  it('files edited again after a dry run: the dry run of the last edit is the one used', async () => {
    const { summary, trace, calls, runs } = await run([edit('t1', 'a - b', 'b - a'), edit('t2', 'b - a', 'a + b'), done], () => []);
    expect(summary.status).toBe('resolved');
    expect(calls.map((c) => [c.dry, c.text])).toEqual([
      [true, 'export const add = (a, b) => b - a;'],
      [true, 'export const add = (a, b) => a + b;'],
    ]);
    expect(validationLines(trace)).toHaveLength(1);
    expect(runs).toBeGreaterThanOrEqual(1);
    const t = trace.filter((e) => e.type === 'test_run');
    expect(t).toHaveLength(1);
    expect(t[0]?.type === 'test_run' && t[0].passed).toBe(true);
  });
});

describe('tests started while the model replies, without validation', () => {
  it('the tests of the last edit run during the final reply and are the test step\'s result', async () => {
    const { summary, trace, calls } = await run([edit('t1', 'a - b', 'b - a'), edit('t2', 'b - a', 'a + b'), done], null, 300);
    expect(summary.status).toBe('resolved');
    expect(calls).toEqual([]);
    const t = trace.filter((e) => e.type === 'test_run');
    expect(t).toHaveLength(1);
    expect(t[0]?.type === 'test_run' && t[0].passed && t[0].earlyMs !== undefined).toBe(true);
    // Taken after the last reply, in the loop's order.
    expect(t[0]!.seq).toBeGreaterThan(trace.filter((e) => e.type === 'model_call').at(-1)!.seq);
  });
});
