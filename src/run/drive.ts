/**
 * Drives the loop machine for a run that has its worktree and run folder: persists the snapshot
 * after every step, honours Ctrl-C (stop after the step, or abort now), and always finishes with
 * `patch.diff`, `summary.json` and a `run_end` event — whatever the outcome.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActor, toPromise, type Snapshot } from 'xstate';
import { loopMachine } from '../machine/loop.ts';
import type { LoopOutput } from '../machine/context.ts';
import { totalInput } from '../model/types.ts';
import { createToolset } from '../tools/index.ts';
import { checkPureTool } from '../tools/check-pure.ts';
import { gitFileLister } from '../tools/files.ts';
import { globMatcher } from '../tools/glob.ts';
import { runGit } from '../git/run-git.ts';
import { diffAgainstBase, type RunWorktree } from '../git/worktree.ts';
import { readTrajectory, type TraceLine, type TrajectoryWriter } from '../trace/trajectory.ts';
import { crashedValidators } from '../validate/types.ts';
import { describeError } from '../errors.ts';
import { prepareRunContext } from '../context/run-context.ts';
import { repoMapCacheFile } from '../context/facts-cache.ts';
import { readCandidatesTool } from '../context/read-candidates.ts';
import { createRunActors } from './actors.ts';
import type { Journal } from './journal.ts';
import { TimeLedger } from './timing.ts';
import type { RunDeps, RunSummary, RunTaskOptions } from './run-task.ts';

/** Version of run.json and snapshot.json; a snapshot of another version is refused on resume. */
export const RUN_FORMAT_VERSION = 1;

/** `run.json`: what a run was asked to do, so `resume` can carry on. */
export interface RunRecord {
  formatVersion: number;
  runId: string;
  repoRoot: string;
  commonDir: string;
  worktree: RunWorktree;
  options: RunTaskOptions;
  startedAt: string;
}

export interface RunSession {
  record: RunRecord;
  runDir: string;
  trace: TrajectoryWriter;
  /** Persisted machine snapshot to continue from (resume). */
  snapshot?: Snapshot<unknown>;
  journal?: Journal;
  /** Time already attributed before the loop (start-up, worktree); a fresh ledger when absent (resume). */
  timing?: TimeLedger;
  /** When the run's wall time starts (ms since epoch, run clock): process start when known, else run start. */
  startedMs?: number;
}

export { runsRoot } from './run-dirs.ts';

export function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Renders a state value (`{"edit":"thinking"}` → `edit.thinking`). */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [k, v] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', ''];
  return `${k}.${stateName(v)}`;
}

export async function driveRun(session: RunSession, deps: RunDeps): Promise<RunSummary> {
  const { record, runDir, trace } = session;
  const { options: opts, worktree, runId } = record;
  const now = deps.now ?? (() => new Date());
  const started = session.startedMs ?? now().getTime();
  const timing = session.timing ?? new TimeLedger(() => now().getTime());
  const exact = new Set(opts.lockedFiles ?? []);
  const globs = (opts.lockedGlobs ?? []).map(globMatcher);
  const files = await gitFileLister(worktree.path);
  const prefix = prepareRunContext(worktree.path, files, opts.task, { mapTokens: opts.mapTokens, cacheFile: repoMapCacheFile(record.commonDir) });
  const { context, localization } = prefix;
  trace.write({ type: 'localization', candidates: localization.candidates, degraded: localization.degraded, parsedFiles: prefix.parsedFiles, parsedNow: prefix.parsedNow, contextChars: context.length, ms: prefix.buildMs });
  const validation = deps.createValidation?.(worktree.path, worktree.baseSha, deps.sandbox, { root: record.repoRoot, commonDir: record.commonDir }) ?? null;
  // Validation's cold start (sandboxed worker, TypeScript program, ESLint config) overlaps the plan phase.
  let warming = false;
  const warm = validation?.prewarm?.();
  if (warm !== undefined) {
    warming = true;
    const done = () => void (warming = false);
    void Promise.resolve(warm).then(done, done);
  }
  const tools = [...createToolset(), checkPureTool(), readCandidatesTool(localization.candidates)];
  const { settleEarlyChecks, ...actors } = createRunActors({
    runId, provider: deps.provider, sandbox: deps.sandbox, tools, timing, validationWarming: () => warming,
    toolContext: { root: worktree.path, readOnly: (rel) => exact.has(rel) || globs.some((m) => m(rel)) },
    cost: deps.cost, usdPerOutputToken: deps.usdPerToken?.(deps.provider.model) ?? 0, validation, worktree, context,
    testCommand: opts.testCmd, testTimeoutMs: opts.testTimeoutMs ?? 120_000, maxOutputTokens: opts.maxOutputTokens ?? 8192,
    trace, journal: session.journal, onModelText: deps.onModelText, stream: deps.stream, drainModelEvents: deps.drainModelEvents, now: () => now().getTime(),
    ...(deps.earlyTests === false ? { earlyTests: false } : {}),
  });

  const actor = createActor(loopMachine.provide({ actors }), {
    input: {
      task: opts.task, budget: opts.budget, maxIterations: opts.maxIterations, readOnlyTools: tools.filter((t) => t.readOnly).map((t) => t.spec.name),
      ...(opts.stuckAfterRepairs !== undefined ? { stuckAfterRepairs: opts.stuckAfterRepairs } : {}),
    },
    ...(session.snapshot ? { snapshot: session.snapshot } : {}),
  });
  let lastState = '';
  let interrupted: { state: string; hard: boolean } | undefined;
  let resolveInterrupt: () => void = () => {};
  const interruptedP = new Promise<void>((r) => (resolveInterrupt = r));
  const interrupt = (hard: boolean) => {
    if (interrupted) return;
    interrupted = { state: lastState, hard };
    trace.write({ type: 'interrupted', state: lastState, hard });
    actor.stop(); // aborts the signal of the running step's actor: its process tree is killed
    resolveInterrupt();
  };
  deps.control?.signal.addEventListener('abort', () => interrupt(true), { once: true });
  actor.subscribe({
    next: (snap) => {
      if (interrupted) return; // keep the last good snapshot: a stopped actor's snapshot cannot resume
      const state = stateName(snap.value);
      writeJsonAtomic(path.join(runDir, 'snapshot.json'), { formatVersion: RUN_FORMAT_VERSION, runId, snapshot: actor.getPersistedSnapshot() });
      if (state === lastState) return;
      lastState = state;
      const c = snap.context;
      trace.write({ type: 'state', state, iteration: c.iteration });
      deps.onState?.(state, { iteration: c.iteration, step: c.step, usage: c.usage, usd: c.usd });
      if (deps.control?.stopRequested && snap.status === 'active') interrupt(false);
    },
    error: () => {},
  });
  if (session.snapshot) trace.write({ type: 'resume', fromState: stateName((session.snapshot as { value?: unknown }).value), step: (session.snapshot as { context?: { step?: number } }).context?.step ?? 0 });
  actor.start();
  let out: LoopOutput | undefined;
  try {
    out = await Promise.race([toPromise(actor), interruptedP.then(() => undefined)]);
  } catch (err) {
    const c = actor.getSnapshot().context;
    out = { status: 'failed', reason: `internal: ${describeError(err)}`, iterations: c.iteration, steps: c.step, usage: c.usage, usd: c.usd, touchedFiles: c.touchedFiles, failures: c.failures };
  } finally {
    // Early checks the loop never took (interrupted, failed) must not outlive the run.
    await settleEarlyChecks();
    validation?.dispose?.();
  }
  const c = actor.getSnapshot().context;
  const final = out ?? { status: 'failed' as const, reason: `interrupted in ${interrupted?.state}`, iterations: c.iteration, steps: c.step, usage: c.usage, usd: c.usd, touchedFiles: c.touchedFiles, failures: c.failures, plan: c.plan, summary: c.summary };
  const status: RunSummary['status'] = out ? out.status : 'interrupted';

  const patchPath = path.join(runDir, 'patch.diff');
  let patch = '';
  try {
    patch = final.commitSha
      ? await runGit(worktree.path, ['diff', '--no-color', '--no-ext-diff', '--binary', worktree.baseSha, final.commitSha])
      : await diffAgainstBase(worktree);
  } catch (err) {
    // The trace and summary must still be written; say why the patch is missing.
    trace.write({ type: 'warning', message: `patch.diff not written: ${describeError(err)}` });
  }
  writeFileSync(patchPath, patch);
  const input = totalInput(final.usage);
  const time = timing.breakdown(now().getTime() - started);
  const summary: RunSummary = {
    formatVersion: 1, runId, status, reason: final.reason, task: opts.task, iterations: final.iterations, steps: final.steps,
    usage: final.usage, cacheReadShare: input === 0 ? 0 : final.usage.cacheReadTokens / input, usd: final.usd,
    provider: deps.provider.name, model: deps.provider.model, sandbox: { backend: deps.sandbox.backend, isolated: deps.sandbox.isolated },
    branch: worktree.branch, baseSha: worktree.baseSha, worktree: worktree.path, commitSha: final.commitSha, runDir, patchPath,
    touchedFiles: final.touchedFiles, plan: final.plan, summary: final.summary, failures: final.failures, wallMs: time.totalMs, timing: time,
    ...(final.environment ? { environment: final.environment } : {}),
  };
  const gaps = validationGaps(readTrajectory(trace.path));
  if (gaps.length > 0) summary.validationGaps = gaps;
  writeJsonAtomic(path.join(runDir, 'summary.json'), summary);
  const order = localization.candidates.map((cand) => cand.file);
  trace.write({ type: 'localization_outcome', edited: final.touchedFiles, candidateRanks: final.touchedFiles.map((f) => (order.includes(f) ? order.indexOf(f) + 1 : null)) });
  trace.write({ type: 'run_end', status, reason: final.reason, iterations: final.iterations, usage: final.usage, usd: final.usd, ms: summary.wallMs, timing: time, ...(final.environment ? { environment: final.environment } : {}) });
  trace.close();
  return summary;
}

/**
 * Validators that crashed (could not run) on the last validation of `trace`, as
 * `<validator>: crashed: <why>`; a validator skipped by design (no config, disabled, syntax first) is not one.
 */
export function validationGaps(trace: TraceLine[]): string[] {
  const last = trace.filter((e) => e.type === 'validation').at(-1);
  if (last?.type !== 'validation') return [];
  return crashedValidators(last.skipped).map((s) => `${s.validator}: ${s.reason}`);
}
