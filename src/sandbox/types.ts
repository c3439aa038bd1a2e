/**
 * The sandbox contract: run one command under a policy and report what happened as data.
 * A command that fails, hangs or blows a limit is a `CommandResult`, not an exception; only a
 * sandbox that cannot start at all throws (`EnvironmentError`).
 */

export type SandboxBackendName = 'bwrap' | 'process';

export interface CommandSpec {
  /** Shell command line, run with `/bin/sh -c`. */
  command: string;
  /** Absolute working directory (the run's worktree). */
  cwd: string;
  /** Extra env vars on top of the allowlist (never API keys). */
  env?: Record<string, string>;
  /** Wall-clock limit in ms; the whole process tree is killed at it. */
  timeoutMs: number;
  /** Cap on captured stdout+stderr in bytes (head and tail kept, middle cut). */
  maxOutputBytes?: number;
  /** Allow network (only the explicit `--setup` step should). Default false. */
  network?: boolean;
  /**
   * Install steps (`--setup`, a task instance's `install`): a real `<cwd>/node_modules` directory
   * is written directly and kept. Default false: every write under node_modules goes to a
   * throwaway layer. A node_modules linked from outside cwd always gets the layer (bwrap backend).
   */
  keepDependencyWrites?: boolean;
  signal?: AbortSignal;
  /**
   * Host directory to use as the command's private tmp (bound at /tmp inside bwrap; TMPDIR for the
   * process backend), kept after the run so the caller can read files the command left there (e.g. a
   * test report) and remove it. Default: a fresh directory removed after the run.
   */
  tmpDir?: string;
}

/** Why the command ended. `limit:*` come from rlimits/cgroups; `timeout` from the wall clock. */
export type EndReason = 'exit' | 'timeout' | 'limit:memory' | 'limit:processes' | 'limit:cpu' | 'limit:file-size' | 'aborted' | 'signal';

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  reason: EndReason;
  /** Combined stdout+stderr as captured (capped). */
  output: string;
  /** Bytes dropped from the middle of the output by the cap. */
  bytesCut: number;
  durationMs: number;
  backend: SandboxBackendName;
  /**
   * How the policy had to be weakened for this command, when it was, e.g. node_modules read-only
   * because no throwaway layer could be mounted here. Also printed at the start of `output`.
   */
  notes?: string[];
}

export interface Sandbox {
  readonly backend: SandboxBackendName;
  /** True when the backend isolates filesystem/network/pids (bwrap); false for `process`. */
  readonly isolated: boolean;
  run(spec: CommandSpec): Promise<CommandResult>;
}

/** One test case from a test runner's report. `id` is `${file}::${fullName}`, fullName joined by " > ". */
export interface TestCaseResult {
  id: string;
  /** Repo-relative test file path. */
  file: string;
  /** Describe-block titles and the test title joined by " > ". */
  fullName: string;
  status: 'passed' | 'failed' | 'skipped';
  /** First line(s) of the failure message. */
  message?: string;
  /** A few stack lines, repo-relative, node_modules frames dropped. */
  stack?: string;
}

export interface TestRunResult {
  /** True when the command exited 0 and no test failed. */
  passed: boolean;
  command: CommandResult;
  /** Parsed cases when the runner's JSON report was available, else empty. */
  tests: TestCaseResult[];
  /** Failures parsed, or a synthetic one built from the output tail when nothing parsed. */
  failures: TestCaseResult[];
}
