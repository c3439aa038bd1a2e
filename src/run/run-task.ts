/**
 * `runTask`: one task, one repository, one run. Creates the run's worktree and branch, drives the
 * loop machine with the real actors, persists a snapshot after every step, and always leaves the
 * trace (`trajectory.jsonl`), the patch (`patch.diff`) and `summary.json` in the run folder — even
 * when the run fails. The user's working tree is never touched.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActor, toPromise } from 'xstate';
import { loopMachine } from '../machine/loop.ts';
import type { LoopOutput } from '../machine/context.ts';
import { totalInput, type ModelProvider, type Usage } from '../model/types.ts';
import type { Budget } from '../budget/policy.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { linkDependencies } from '../sandbox/dependencies.ts';
import { createToolset } from '../tools/index.ts';
import { gitFileLister } from '../tools/files.ts';
import { openRepo } from '../git/repo.ts';
import { createRunWorktree, diffAgainstBase, removeRunWorktree } from '../git/worktree.ts';
import { hardenedGit } from '../git/repo.ts';
import { TrajectoryWriter } from '../trace/trajectory.ts';
import { describeError } from '../errors.ts';
import { buildRunContext } from './repo-map.ts';
import { newRunId } from './run-id.ts';
import { createRunActors, type ValidationRunner } from './actors.ts';

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
  /** Further rule for locked paths (e.g. every test file in issue mode); OR-ed with `lockedFiles`. */
  isLocked?: (relPath: string) => boolean;
}

export interface RunDeps {
  provider: ModelProvider;
  sandbox: Sandbox;
  /** USD of one call's usage. */
  cost: (model: string, usage: Usage) => number;
  /** Upper-bound USD per token of a model, for the USD pre-flight (0 = unpriced). */
  usdPerToken?: (model: string) => number;
  /** Builds the validation pipeline for the worktree; null disables validation. */
  createValidation?: (root: string, baseRef: string) => (ValidationRunner & { dispose?: () => void }) | null;
  now?: () => Date;
  /** Called with each machine state as it is entered (progress view). */
  onState?: (state: string, info: { iteration: number; step: number; usage: Usage; usd: number }) => void;
  onModelText?: (text: string) => void;
}

export interface RunSummary {
  formatVersion: 1;
  runId: string;
  status: LoopOutput['status'];
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
  wallMs: number;
}

/** Renders a state value (`{"edit":"thinking"}` → `edit.thinking`). */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [k, v] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', ''];
  return `${k}.${stateName(v)}`;
}

function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  renameSync(tmp, file);
}

/**
 * Runs the loop to a final state and returns the summary.
 * @throws EnvironmentError when the repo is not a git repository / has no commits / has no installed
 *   dependencies; UsageError when the run's branch exists. Failures *during* the run are a summary
 *   with status `failed`, never a throw.
 */
export async function runTask(opts: RunTaskOptions, deps: RunDeps): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const started = now().getTime();
  const repo = await openRepo(opts.repo);
  const runId = opts.runId ?? newRunId(now());
  const worktree = await createRunWorktree(repo, runId);
  try {
    linkDependencies(repo.root, worktree.path);
  } catch (err) {
    await removeRunWorktree(repo, runId);
    throw err;
  }
  const runDir = path.join(opts.runsDir ?? path.join(repo.commonDir, 'patchloop', 'runs'), runId);
  mkdirSync(runDir, { recursive: true });
  const trace = new TrajectoryWriter(path.join(runDir, 'trajectory.jsonl'), now);
  trace.write({
    type: 'run_start', runId, task: opts.task, repo: repo.root, baseRef: worktree.baseSha, branch: worktree.branch, worktree: worktree.path,
    provider: deps.provider.name, model: deps.provider.model, sandbox: { backend: deps.sandbox.backend, isolated: deps.sandbox.isolated },
    budget: opts.budget, maxIterations: opts.maxIterations,
  });
  if (!deps.sandbox.isolated) trace.write({ type: 'warning', message: `sandbox backend ${deps.sandbox.backend} does not isolate the test command` });

  const locked = new Set(opts.lockedFiles ?? []);
  const files = await gitFileLister(worktree.path);
  const context = buildRunContext(worktree.path, files, opts.task);
  const validation = deps.createValidation?.(worktree.path, worktree.baseSha) ?? null;
  const actors = createRunActors({
    runId, provider: deps.provider, sandbox: deps.sandbox, tools: createToolset(),
    toolContext: { root: worktree.path, readOnly: (rel) => locked.has(rel) || (opts.isLocked?.(rel) ?? false) },
    cost: deps.cost, usdPerOutputToken: deps.usdPerToken?.(deps.provider.model) ?? 0, validation, worktree, context,
    testCommand: opts.testCmd, testTimeoutMs: opts.testTimeoutMs ?? 120_000, maxOutputTokens: opts.maxOutputTokens ?? 8192,
    trace, onModelText: deps.onModelText, now: () => now().getTime(),
  });

  const actor = createActor(loopMachine.provide({ actors }), {
    input: { task: opts.task, budget: opts.budget, maxIterations: opts.maxIterations },
  });
  let lastState = '';
  actor.subscribe({
    next: (snap) => {
      const state = stateName(snap.value);
      writeJsonAtomic(path.join(runDir, 'snapshot.json'), { formatVersion: 1, runId, snapshot: actor.getPersistedSnapshot() });
      if (state === lastState) return;
      lastState = state;
      const c = snap.context;
      trace.write({ type: 'state', state, iteration: c.iteration });
      deps.onState?.(state, { iteration: c.iteration, step: c.step, usage: c.usage, usd: c.usd });
    },
    error: () => {},
  });
  actor.start();
  let out: LoopOutput;
  try {
    out = await toPromise(actor);
  } catch (err) {
    const c = actor.getSnapshot().context;
    out = { status: 'failed', reason: `internal: ${describeError(err)}`, iterations: c.iteration, steps: c.step, usage: c.usage, usd: c.usd, touchedFiles: c.touchedFiles, failures: c.failures };
  } finally {
    (validation as { dispose?: () => void } | null)?.dispose?.();
  }

  const patchPath = path.join(runDir, 'patch.diff');
  const patch = out.commitSha
    ? await hardenedGit(worktree.path).raw(['diff', '--no-color', '--no-ext-diff', '--binary', worktree.baseSha, out.commitSha])
    : await diffAgainstBase(worktree);
  writeFileSync(patchPath, patch);
  const input = totalInput(out.usage);
  const summary: RunSummary = {
    formatVersion: 1, runId, status: out.status, reason: out.reason, task: opts.task, iterations: out.iterations, steps: out.steps,
    usage: out.usage, cacheReadShare: input === 0 ? 0 : out.usage.cacheReadTokens / input, usd: out.usd,
    provider: deps.provider.name, model: deps.provider.model, sandbox: { backend: deps.sandbox.backend, isolated: deps.sandbox.isolated },
    branch: worktree.branch, baseSha: worktree.baseSha, worktree: worktree.path, commitSha: out.commitSha, runDir, patchPath,
    touchedFiles: out.touchedFiles, plan: out.plan, summary: out.summary, failures: out.failures, wallMs: now().getTime() - started,
  };
  writeJsonAtomic(path.join(runDir, 'summary.json'), summary);
  trace.write({ type: 'run_end', status: out.status, reason: out.reason, iterations: out.iterations, usage: out.usage, usd: out.usd, ms: summary.wallMs });
  return summary;
}
