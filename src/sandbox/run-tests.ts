/**
 * Runs the task's test command in the sandbox and turns the result into structured test cases.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox, TestCaseResult, TestRunResult } from './types.ts';
import { parseVitestJson, withVitestJsonReporter } from './vitest-report.ts';
import { preferLocalBin } from './local-bin.ts';

/** Report file name inside the command's private tmp (expanded by sh from TMPDIR). */
const REPORT_NAME = 'patchloop-vitest.json';
/** Characters of output tail carried by the synthetic failure. */
const TAIL_CHARS = 2000;

export interface RunTestsOptions {
  command: string;
  /** Worktree (absolute). */
  cwd: string;
  /** Wall-clock limit, ms. */
  timeoutMs: number;
  env?: Record<string, string>;
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

/**
 * Runs `command` (with vitest's JSON reporter added when it runs vitest) and parses the report.
 * `passed` is true only when the command exited 0 (reason `exit`) and no case failed. When nothing
 * could be parsed and the command failed, `failures` holds one synthetic case with the output tail.
 * @throws only what `sandbox.run` throws (EnvironmentError when the sandbox cannot start)
 */
export async function runTests(sandbox: Sandbox, opts: RunTestsOptions): Promise<TestRunResult> {
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'patchloop-tests-'));
  try {
    const command = withVitestJsonReporter(preferLocalBin(opts.command, opts.cwd), `$TMPDIR/${REPORT_NAME}`);
    const result = await sandbox.run({
      command,
      cwd: opts.cwd,
      timeoutMs: opts.timeoutMs,
      tmpDir,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.maxOutputBytes ? { maxOutputBytes: opts.maxOutputBytes } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let tests: TestCaseResult[] = [];
    try {
      tests = parseVitestJson(await fs.readFile(path.join(tmpDir, REPORT_NAME), 'utf8'), opts.cwd);
    } catch {
      // No report (not vitest, crashed before writing, or a bad report): fall back to the output.
    }
    let failures = tests.filter((t) => t.status === 'failed');
    const ok = result.reason === 'exit' && result.exitCode === 0;
    if (!ok && failures.length === 0) {
      const tail = result.output.length > TAIL_CHARS ? result.output.slice(-TAIL_CHARS) : result.output;
      failures = [
        {
          id: '(command)::(command)',
          file: '(command)',
          fullName: '(command)',
          status: 'failed',
          message: `test command ended: ${result.reason}${result.exitCode !== null ? ` (exit ${result.exitCode})` : ''}${result.signal ? ` (${result.signal})` : ''}\n${tail}`,
        },
      ];
    }
    return { passed: ok && failures.length === 0, command: result, tests, failures };
  } finally {
    await fs.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
