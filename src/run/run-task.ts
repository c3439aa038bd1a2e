/**
 * `runTask`: one task, one repository, one run. Creates the run's worktree and branch, drives the
 * loop machine with the real actors, persists a snapshot after every step, and always leaves the
 * trace (`trajectory.jsonl`), the patch (`patch.diff`) and `summary.json` in the run folder — even
 * when the run fails. The user's working tree is never touched.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentFailure, LoopOutput } from '../machine/context.ts';
import { TimeLedger, type TimeBreakdown } from './timing.ts';
import type { ModelProvider, Usage } from '../model/types.ts';
import type { Budget } from '../budget/policy.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { linkDependencies } from '../sandbox/dependencies.ts';
import { openRepo, type RepoInfo } from '../git/repo.ts';
import { createRunWorktree, excludeLinkedPackages, removeRunWorktree, type RunWorktree } from '../git/worktree.ts';
import { TrajectoryWriter, type TraceLine } from '../trace/trajectory.ts';
import { newRunId } from './run-id.ts';
import { EnvironmentError } from '../errors.ts';
import type { ValidationRunner } from './actors.ts';
import type { RunRecord } from './drive.ts';

export interface RunTaskOptions {
  /** Path inside the user's git working copy. */
  repo: string;
  /** The user's words (untrusted). */
  task: string;
  /** Test command run in the worktree, e.g. `npx vitest run`. */
  testCmd: string;
  maxIterations: number;
  budget: Budget;
  runId?: string;
  /** Folder holding `<run-id>/`; default `<git-common-dir>/patchloop/runs`. */
  runsDir?: string;
  /** Wall-clock limit of one test run, ms. Default 120 000. */
  testTimeoutMs?: number;
  /** max_tokens per model call. Default 8 192. */
  maxOutputTokens?: number;
  /** Repo-relative paths the model may not edit (locked tests). */
  lockedFiles?: string[];
  /**
   * Install dependencies in the worktree first (e.g. `npm ci`) instead of linking the repository's
   * node_modules: the only step that runs with network, still inside the sandbox.
   */
  setupCmd?: string;
  /** Globs of locked paths (e.g. `**\/*.test.ts` for every test file in issue mode); OR-ed with `lockedFiles`. */
  lockedGlobs?: string[];
  /** Repairs in a row that leave the same failures before the run ends as `stuck` (default 3, src/machine/failure-set.ts). */
  stuckAfterRepairs?: number;
  /** Token budget of the `<repo_map>` block (default: sized to the model, see src/context/localize.ts). */
  mapTokens?: number;
  /** How the provider was built, recorded in run.json so `resume` can rebuild it (never a secret). */
  providerSpec?: ProviderSpec;
  /**
   * Commit (or ref) the run's worktree starts from; default `HEAD` of `repo`. A CI fix passes the
   * failed run's commit. Kept in run.json; a resume continues in the worktree made from it.
   */
  baseRef?: string;
}

/** Enough to rebuild a provider on resume: name, model, base URL, transcript path. No keys. */
export interface ProviderSpec {
  name: string;
  model?: string;
  baseUrl?: string;
  transcript?: string;
  config?: string;
}

export interface RunDeps {
  provider: ModelProvider;
  sandbox: Sandbox;
  /** USD of one call's usage. */
  cost: (model: string, usage: Usage, provider?: string) => number;
  /** Upper-bound USD per token of a model, for the USD pre-flight (0 = unpriced). */
  usdPerToken?: (model: string) => number;
  /**
   * Builds the validation pipeline for the worktree (repository code in it runs in `sandbox`, the
   * run's); null disables validation. `prewarm` is called at run start, before the plan phase.
   * `repo`: the user's checkout and git common dir the worktree was made from.
   */
  createValidation?: (root: string, baseRef: string, sandbox: Sandbox, repo: { root: string; commonDir: string }) => (ValidationRunner & { dispose?: () => void; prewarm?: () => unknown }) | null;
  now?: () => Date;
  /** Start the test command while validation runs, using its result only if validation passes unchanged (default true; src/run/early-tests.ts). */
  earlyTests?: boolean;
  /** `opts.repo` already opened by the caller (`openRepo`), which saves its git calls at start-up. */
  repoInfo?: RepoInfo;
  /**
   * The worktree of `opts.runId` (required then) whose creation the caller already started with
   * `createRunWorktree`, so git works while the caller loads modules; runTask owns it from here.
   */
  worktree?: Promise<RunWorktree>;
  /** When this process started (ms since epoch, same clock as `now`; the CLI passes `performance.timeOrigin`): start-up is counted from it. */
  processStartedAt?: number;
  /** Called with each machine state as it is entered (progress view). */
  onState?: (state: string, info: { iteration: number; step: number; usage: Usage; usd: number }) => void;
  onModelText?: (text: string) => void;
  /** Stream model text as it arrives (`--stream`). */
  stream?: boolean;
  /** Chain switches since the last call (see src/cli/providers.ts), written to the trace. */
  drainModelEvents?: () => object[];
  /** Each trace line as it is written (the progress view renders these). */
  onTrace?: (line: TraceLine) => void;
  /** Ctrl-C handling: `stopAfterStep` ends the run at the next state boundary (resumable), `abort` at once. */
  control?: RunControl;
}

export interface RunControl {
  /** True once a stop after the current step was asked for. */
  readonly stopRequested: boolean;
  /** Aborted when the current step must be killed now. */
  readonly signal: AbortSignal;
}

export interface RunSummary {
  formatVersion: 1;
  runId: string;
  status: LoopOutput['status'] | 'interrupted';
  reason?: string;
  task: string;
  iterations: number;
  steps: number;
  usage: Usage;
  /** Share of all input tokens served from the prompt cache, 0..1. */
  cacheReadShare: number;
  usd: number;
  provider: string;
  model: string;
  sandbox: { backend: string; isolated: boolean };
  branch: string;
  baseSha: string;
  worktree: string;
  commitSha?: string;
  runDir: string;
  patchPath: string;
  touchedFiles: string[];
  plan?: string;
  summary?: string;
  failures: LoopOutput['failures'];
  /** Total wall time, ms: from process start when known (else run start) to the end; = timing.totalMs. */
  wallMs: number;
  /** Where the wall time went (src/run/timing.ts); a resumed run's covers the resumed session. Absent in summaries written before it existed. */
  timing?: TimeBreakdown;
  /** The environment failure that ended the run (status `environment`). */
  environment?: EnvironmentFailure;
  /**
   * Validators that could not run on the run's last validation (`<validator>: crashed: <why>`, e.g. the
   * sandboxed worker did not start), so the patch was not checked by them. Absent when none crashed.
   */
  validationGaps?: string[];
}

/** Wall-clock limit of the `--setup` step, ms (a cold `npm ci` of a mid-size project fits). */
export const SETUP_TIMEOUT_MS = 10 * 60_000;

/** Runs the setup command with network in the sandbox. @throws EnvironmentError `setup_failed` with the output tail. */
async function runSetup(sandbox: Sandbox, command: string, cwd: string): Promise<void> {
  const r = await sandbox.run({ command, cwd, timeoutMs: SETUP_TIMEOUT_MS, network: true, keepDependencyWrites: true });
  if (r.reason !== 'exit' || r.exitCode !== 0) {
    throw new EnvironmentError('setup_failed', `--setup "${command}" failed (${r.reason}, exit ${r.exitCode}): ${r.output.slice(-600).trim()}`);
  }
}

/**
 * Starts a new run: opens the repository, creates the worktree and branch, links dependencies,
 * records `run.json`, then drives the loop to a final state and returns the summary.
 * @throws EnvironmentError when the repo is not a git repository / has no commits / has no installed
 *   dependencies; UsageError when the run's branch exists. Failures *during* the run are a summary
 *   with status `failed`, never a throw.
 */
export async function runTask(opts: RunTaskOptions, deps: RunDeps): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const timing = new TimeLedger(() => now().getTime());
  const runStart = now().getTime();
  const startedMs = deps.processStartedAt !== undefined && deps.processStartedAt <= runStart ? deps.processStartedAt : runStart;
  timing.add('startupMs', runStart - startedMs);
  // The loop's modules (xstate, tools, the repo map's parser) compile while git creates the worktree.
  const driving = import('./drive.ts');
  driving.catch(() => undefined); // a failure before it is awaited is reported, not this
  const repo = deps.repoInfo ?? (await openRepo(opts.repo));
  if (deps.worktree && !opts.runId) throw new Error('runTask: deps.worktree needs the runId it was created for in opts.runId');
  const runId = opts.runId ?? newRunId(now());
  const worktree = await timing.time('worktreeMs', async () => {
    const wt = await (deps.worktree ?? createRunWorktree(repo, runId, opts.baseRef));
    try {
      if (opts.setupCmd) await runSetup(deps.sandbox, opts.setupCmd, wt.path);
      else excludeLinkedPackages(repo, linkDependencies(repo.root, wt.path));
    } catch (err) {
      await removeRunWorktree(repo, runId);
      throw err;
    }
    return wt;
  });
  const { driveRun, RUN_FORMAT_VERSION, runsRoot, writeJsonAtomic } = await driving;
  const runDir = path.join(opts.runsDir ?? runsRoot(repo.commonDir), runId);
  mkdirSync(runDir, { recursive: true });
  const record: RunRecord = { formatVersion: RUN_FORMAT_VERSION, runId, repoRoot: repo.root, commonDir: repo.commonDir, worktree, options: { ...opts, repo: repo.root, runId }, startedAt: now().toISOString() };
  writeJsonAtomic(path.join(runDir, 'run.json'), record);
  const trace = new TrajectoryWriter(path.join(runDir, 'trajectory.jsonl'), now, deps.onTrace);
  trace.write({
    type: 'run_start', runId, task: opts.task, repo: repo.root, baseRef: worktree.baseSha, branch: worktree.branch, worktree: worktree.path,
    provider: deps.provider.name, model: deps.provider.model, sandbox: { backend: deps.sandbox.backend, isolated: deps.sandbox.isolated },
    budget: opts.budget, maxIterations: opts.maxIterations,
  });
  if (!deps.sandbox.isolated) trace.write({ type: 'warning', message: `sandbox backend ${deps.sandbox.backend} does not isolate the test command` });
  return driveRun({ record, runDir, trace, timing, startedMs }, deps);
}
