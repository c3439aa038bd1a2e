/**
 * One test step of a run: the fast pre-check (the model's own isolated-vm checks), then the test
 * command in the run's sandbox, with its wall time split into the command's own time and the
 * sandbox's start-up overhead (timing.ts). Its trace lines are returned, not written, so an early
 * run (early-tests.ts) reaches the trajectory only when the test step takes it.
 */
import type { Sandbox } from '../sandbox/types.ts';
import { runTests } from '../sandbox/run-tests.ts';
import { readTrajectory, type TrajectoryWriter } from '../trace/trajectory.ts';
import type { TestOutcome } from './early-tests.ts';
import { classifyEnvironmentFailure } from './environment-failure.ts';
import { runPrecheck } from './precheck.ts';

export interface TestStepDeps {
  sandbox: Sandbox;
  /** Absolute worktree the command runs in. */
  cwd: string;
  testCommand: string;
  /** The command's wall-clock limit, ms. */
  testTimeoutMs: number;
  /** The run's trace: the pre-check reads the model's recorded checks from it. */
  trace: TrajectoryWriter;
  /** Secret values the environment-failure summary must not quote. */
  secrets: string[];
  /** Clock, ms. */
  now: () => number;
}

/**
 * A function that runs one test step (`signal` aborts it and kills the command's process tree).
 * The sandbox's start-up cost (ms) is measured once per executor by running `true` beside the first
 * test run; a test step's wall time minus the command's own duration is counted as sandbox overhead.
 */
export function createTestExecutor(d: TestStepDeps): (signal?: AbortSignal) => Promise<TestOutcome> {
  let sandboxStartup: Promise<number> | undefined;
  return async (signal) => {
    const iteration = 0; // set by the test step that takes the outcome
    const t0 = d.now();
    const parts = { testCommandMs: 0, sandboxOverheadMs: 0 };
    const lines: TestOutcome['lines'] = [];
    // Fast pre-check first: a failure skips the slow suite.
    const pre = await runPrecheck(d.cwd, readTrajectory(d.trace.path));
    parts.testCommandMs += d.now() - t0;
    if (pre.ran > 0) lines.push({ type: 'precheck', iteration, ran: pre.ran, failures: pre.failures, ms: pre.ms });
    if (pre.failures.length > 0) return { output: { passed: false, failures: pre.failures }, lines, parts };
    const tRun = d.now();
    const running = runTests(d.sandbox, { command: d.testCommand, cwd: d.cwd, timeoutMs: d.testTimeoutMs, ...(signal ? { signal } : {}) });
    // The probe only sizes the split: it runs beside the tests, not before them (a wait past their end is overhead).
    sandboxStartup ??= probeSandbox(d.sandbox, d.cwd);
    const [result, startupMs] = await Promise.all([running, sandboxStartup]);
    const runMs = d.now() - tRun;
    const ownMs = Math.min(runMs, Math.max(0, result.command.durationMs - startupMs));
    parts.testCommandMs += ownMs;
    parts.sandboxOverheadMs += runMs - ownMs;
    const environment = classifyEnvironmentFailure(result, d.testCommand, d.secrets);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const t of result.tests) counts[t.status] += 1;
    const { output, ...command } = result.command;
    lines.push({ type: 'test_run', iteration, passed: result.passed, command: { ...command, outputTail: output.slice(-4000) }, failures: result.failures, counts, ms: d.now() - t0, ...(environment ? { environment } : {}) });
    return { output: { passed: result.passed, failures: result.failures, ...(environment ? { environment } : {}) }, lines, parts };
  };
}

/** Duration (the sandbox's own measure) of `true` run in the sandbox: its start-up cost, ms. 0 when it cannot run. */
async function probeSandbox(sandbox: Sandbox, cwd: string): Promise<number> {
  try {
    const r = await sandbox.run({ command: 'true', cwd, timeoutMs: 10_000 });
    return r.reason === 'exit' ? r.durationMs : 0;
  } catch {
    return 0;
  }
}
