/**
 * One task instance through the loop and its scoring: (a) resolved — the loop resolved, the code
 * type-checks and the hidden tests pass (testgen: mutants killed; review: defects found);
 * (b) style — no style/lint findings on the final state; (c) explanation, when the task asks.
 */
import path from 'node:path';
import type { ModelProvider, Usage } from '../model/types.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { runTask, type RunDeps, type RunSummary } from '../run/run-task.ts';
import { readTrajectory } from '../trace/trajectory.ts';
import { describeError } from '../errors.ts';
import { prepareInstanceRepo, removeInstanceRepo, scoreHidden, type HiddenScore, type TaskInstance } from './instance.ts';
import { scoreMutants, type MutationScore } from './mutation-score.ts';
import { scoreReview, type ReviewScore } from './review-score.ts';
import { scoreExplanation, type ExplanationScore } from './rubric.ts';

export interface InstanceResult {
  id: string;
  category: string;
  runId?: string;
  /** The run folder (trace, patch, summary). */
  runDir?: string;
  status: RunSummary['status'] | 'error';
  /** Score (a). */
  resolved: boolean;
  /** Score (b): no style or lint finding on the final state (null when not checked). */
  styleOk: boolean | null;
  /** Score (c), only when the task sets `explain`. */
  explanation?: ExplanationScore;
  iterations: number;
  steps: number;
  usage: Usage;
  usd: number;
  wallMs: number;
  /** Validators that reported at least one finding during the run. */
  validatorsFired: string[];
  hidden?: HiddenScore;
  mutation?: MutationScore;
  review?: ReviewScore;
  reason?: string;
}

export interface InstanceDeps {
  provider: ModelProvider;
  sandbox: Sandbox;
  /** patchloop's own node_modules, linked into every scratch repository. */
  nodeModules: string;
  runDeps: Omit<RunDeps, 'provider' | 'sandbox'>;
  maxIterations?: number;
  budgetTokens?: number;
  runsDir?: string;
  /** A scratch repository already prepared for this task (batch mode); default: prepare one. */
  repo?: string;
  now?: () => number;
}

const ZERO: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export async function runInstance(inst: TaskInstance, d: InstanceDeps): Promise<InstanceResult> {
  const now = d.now ?? Date.now;
  const t0 = now();
  const { task } = inst;
  const base: InstanceResult = { id: task.id, category: task.category, status: 'error', resolved: false, styleOk: null, iterations: 0, steps: 0, usage: ZERO, usd: 0, wallMs: 0, validatorsFired: [] };
  // A scratch repository made here goes once the result is scored, with the worktree the run kept,
  // but only when the run folder (trace, patch) is outside it (`runsDir`): the trace always stays.
  let scratch: string | undefined;
  try {
    let summary: RunSummary;
    try {
      if (!d.repo) scratch = await prepareInstanceRepo(inst, d.nodeModules);
      summary = await runTask(
        {
          repo: d.repo ?? scratch!, task: task.prompt, testCmd: task.test_cmd, maxIterations: d.maxIterations ?? 6,
          budget: { maxTokens: d.budgetTokens ?? 400_000 }, lockedFiles: task.locked, runsDir: d.runsDir,
        },
        { ...d.runDeps, provider: d.provider, sandbox: d.sandbox },
      );
    } catch (err) {
      return { ...base, reason: describeError(err), wallMs: now() - t0 };
    }
    const result = await scoreRun(inst, d, summary, base);
    result.wallMs = now() - t0;
    return result;
  } finally {
    if (scratch && d.runsDir) await removeInstanceRepo(scratch);
  }
}

/** The result of a finished run: what its trace says, scored by the task's category (the worktree is still there). */
async function scoreRun(inst: TaskInstance, d: InstanceDeps, summary: RunSummary, base: InstanceResult): Promise<InstanceResult> {
  const { task } = inst;
  const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
  const fired = new Set<string>();
  let lastFindings: { validator: string }[] = [];
  for (const e of trace) if (e.type === 'validation') { for (const f of e.findings) fired.add(f.validator); lastFindings = e.findings; }
  const result: InstanceResult = {
    ...base, runId: summary.runId, runDir: summary.runDir, status: summary.status, iterations: summary.iterations, steps: summary.steps, usage: summary.usage, usd: summary.usd,
    validatorsFired: [...fired].sort(), reason: summary.reason,
    styleOk: trace.some((e) => e.type === 'validation') ? !lastFindings.some((f) => f.validator === 'style' || f.validator === 'lint') : null,
  };
  const loopResolved = summary.status === 'resolved';
  const message = summary.summary ?? '';
  if (task.category === 'review') {
    result.review = scoreReview(task, message);
    result.resolved = loopResolved && result.review.resolved;
  } else if (task.category === 'testgen') {
    result.mutation = await scoreMutants(inst, summary.worktree, summary.touchedFiles, d.sandbox, d.nodeModules);
    result.resolved = loopResolved && result.mutation.resolved;
  } else {
    result.hidden = await scoreHidden(inst, summary.worktree, d.sandbox, d.nodeModules);
    result.resolved = loopResolved && result.hidden.passed;
  }
  if (task.explain) result.explanation = scoreExplanation(message, summary.touchedFiles);
  return result;
}
