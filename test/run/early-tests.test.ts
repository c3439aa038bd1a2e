/**
 * The test command starts while validation runs (src/run/early-tests.ts): its result is used when
 * validation lets the patch through unchanged, dropped (process killed) when validation blocks, and
 * run again when an auto-fix changed a touched file. Real SDK over real HTTP, real git, real processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.ts';
import { AnthropicProvider } from '../../src/model/anthropic.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTask } from '../../src/run/run-task.ts';
import type { ValidationRunner } from '../../src/run/actors.ts';
import type { Finding, ValidationReport } from '../../src/validate/types.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { scratchRepo } from './scratch-repo.ts';

let server: AnthropicTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Resolves once `file` holds a whole line; false after `ms` (the early test run never started).
 * Existing is not enough: `cmd >> file` creates the file before `cmd` writes, and a run killed in
 * between (the auto-fix case below) would lose its line.
 */
async function appears(file: string, ms = 20_000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 20) {
    if (existsSync(file) && readFileSync(file, 'utf8').includes('\n')) return true;
    await sleep(20);
  }
  return false;
}

/** Early validations (dry runs, early-validation.ts) get a type finding, so these tests see the validate step's own run. */
const refuseDryRuns = (runner: ValidationRunner): ValidationRunner => ({
  run: async (files, opts) => (opts.autoFix === false ? report([{ validator: 'types', file: 'add.js', line: 1, column: 1, rule: 'TS1', message: 'dry run', severity: 'error' }]) : runner.run(files, opts)),
});

const report = (findings: Finding[], autoFixes: ValidationReport['autoFixes'] = []): ValidationReport => ({ findings, ran: ['syntax'], skipped: [], autoFixes, durationMs: 1 });

/** A run whose model fixes add.js in one edit; `validate` is the validation pipeline, `testCmd` gets `$MARK` (a temp dir). */
async function run(validate: (root: string, mark: string) => ValidationRunner, testCmd: (mark: string) => string, maxIterations = 2) {
  const mark = mkdtempSync(path.join(os.tmpdir(), 'patchloop-early-'));
  server = await startAnthropicServer({
    script: [
      { kind: 'message', content: [{ type: 'tool_use', id: 'toolu_e', name: 'str_replace', input: { path: 'add.js', old_str: 'a - b', new_str: 'a + b' } }] },
      { kind: 'message', content: [{ type: 'text', text: 'add() now adds.' }] },
      { kind: 'message', content: [{ type: 'text', text: 'Still fixed.' }] },
    ],
  });
  const summary = await runTask(
    { repo: scratchRepo(), task: 'add() should add', testCmd: testCmd(mark), maxIterations, budget: { maxTokens: 200_000 } },
    {
      provider: new AnthropicProvider({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sandbox: await createSandbox({ backend: 'process', warn: () => {} }), cost: () => 0,
      createValidation: (root) => refuseDryRuns(validate(root, mark)),
    },
  );
  const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
  return { summary, trace, mark, runs: () => (existsSync(path.join(mark, 'runs')) ? readFileSync(path.join(mark, 'runs'), 'utf8').trim().split('\n') : []) };
}

describe('tests started while validation runs', () => {
  it('a passing validation takes the early result: one test run, recorded after the validation', async () => {
    const { summary, trace, runs } = await run(
      // Validation answers only once the test command has started: without the early run it would block the patch.
      (_root, mark) => ({ run: async () => report((await appears(path.join(mark, 'runs'))) ? [] : [{ validator: 'syntax', file: 'add.js', line: 1, column: 1, rule: 'no-early-run', message: 'tests did not start early', severity: 'error' }]) }),
      (mark) => `echo run >> ${mark}/runs && grep -q "a + b" add.js`,
    );
    expect(summary.status).toBe('resolved');
    expect(runs()).toEqual(['run']);
    const kinds = trace.filter((e) => e.type === 'validation' || e.type === 'test_run').map((e) => e.type);
    expect(kinds).toEqual(['validation', 'test_run']);
    const testRun = trace.find((e) => e.type === 'test_run');
    expect(testRun?.type === 'test_run' && testRun.passed && testRun.earlyMs !== undefined).toBe(true);
  });

  it('a blocking finding drops the early run and kills its process; no test result is recorded', async () => {
    const { summary, trace, mark } = await run(
      (_root, m) => ({ run: async () => ((await appears(path.join(m, 'pid'))) ? report([{ validator: 'syntax', file: 'add.js', line: 1, column: 1, rule: 'blocked', message: 'blocked', severity: 'error' }]) : report([])) }),
      (m) => `echo $$ > ${m}/pid && sleep 30 && echo late > ${m}/late`,
      1,
    );
    expect(summary.status).toBe('max_iterations');
    expect(trace.some((e) => e.type === 'test_run')).toBe(false);
    const pid = Number(readFileSync(path.join(mark, 'pid'), 'utf8'));
    // runTask returned only after the early run ended: its shell is gone (ESRCH), it never finished.
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    expect(existsSync(path.join(mark, 'late'))).toBe(false);
  });

  it('an auto-fix that changes a touched file runs the tests again on the fixed file', async () => {
    const { summary, trace, runs } = await run(
      (root, m) => ({
        run: async () => {
          await appears(path.join(m, 'runs'));
          appendFileSync(path.join(root, 'add.js'), '// fixed by validation\n');
          return report([], [{ file: 'add.js', fix: 'comment', diff: '' }]);
        },
      }),
      // The count goes to a side file first, so `runs` appears only once grep has read add.js.
      (m) => `grep -c "fixed by validation" add.js > ${m}/c.$$; cat ${m}/c.$$ >> ${m}/runs; grep -q "a + b" add.js`,
    );
    expect(summary.status).toBe('resolved');
    // The early run saw the file before the fix (0 matches); the test step's own run saw it after (1).
    expect(runs()).toEqual(['0', '1']);
    const testRuns = trace.filter((e) => e.type === 'test_run');
    expect(testRuns).toHaveLength(1);
    expect(testRuns[0]?.type === 'test_run' && testRuns[0].earlyMs).toBeUndefined();
  });
});
