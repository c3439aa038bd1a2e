/**
 * The loop machine's context, input, output and actor contracts. Everything here is plain data so
 * `actor.getPersistedSnapshot()` serialises it and a run can be inspected and resumed.
 */
import type { Message, ModelResponse, Usage } from '../model/types.ts';
import type { Finding } from '../validate/types.ts';
import type { TestCaseResult } from '../sandbox/types.ts';
import type { Budget } from '../budget/policy.ts';

export type Phase = 'plan' | 'edit';

export type FinalStatus = 'resolved' | 'budget_exhausted' | 'max_iterations' | 'stuck' | 'environment' | 'failed';

/**
 * A test command that failed before any test result could be read (runner or config crash, EROFS,
 * missing runner module, command not found): the environment is broken, not the code under test.
 */
export interface EnvironmentFailure {
  /** Stable identity of the failure (volatile parts — numbers, paths under tmp, timings — removed). */
  signature: string;
  /** The first line that names the error, e.g. `Error: EROFS: read-only file system, open '…'`. */
  message: string;
  /** Head and tail of the command's output, capped and with secrets redacted. */
  excerpt: string;
  /** What the person (not the model) can do about it. */
  fix: string;
}

export interface LoopInput {
  /** The user's task text (untrusted). */
  task: string;
  budget: Budget;
  /** Cap on edit → check passes (iterations). */
  maxIterations: number;
  /** Cap on model calls inside one plan/edit phase (stops runaway tool loops). */
  maxStepsPerPhase?: number;
  /** Repairs in a row that leave the same failure set before the run ends as `stuck`. Default 3. */
  stuckAfterRepairs?: number;
  /** Names of the tools that cannot change files; any other tool called while planning ends the plan. */
  readOnlyTools?: string[];
}

export interface LoopContext extends Required<LoopInput> {
  messages: Message[];
  phase: Phase;
  /** Model calls made so far (the step counter; also the key of recorded replies on resume). */
  step: number;
  /** Model calls in the current phase. */
  stepsInPhase: number;
  /** Edit passes started (1-based once the first edit phase ends). */
  iteration: number;
  usage: Usage;
  /** USD spent so far. */
  usd: number;
  lastResponse?: ModelResponse;
  /** Recent tool-call signatures, newest last (repeated-action detection). */
  recentCalls: string[];
  touchedFiles: string[];
  plan?: string;
  summary?: string;
  findings: Finding[];
  failures: TestCaseResult[];
  testsPassed: boolean;
  /** The last test run's environment failure, if it was one (two equal in a row end the run). */
  environment?: EnvironmentFailure;
  /** Normalised failure set of the last failed check (see failure-set.ts). */
  failureSet?: string;
  /** Repairs in a row after which `failureSet` came back unchanged. */
  unchangedRepairs?: number;
  commitSha?: string;
  reason?: string;
  /** Set on entry to a final state. */
  status?: FinalStatus;
}

export interface LoopOutput {
  status: FinalStatus;
  reason?: string;
  iterations: number;
  steps: number;
  usage: Usage;
  usd: number;
  plan?: string;
  summary?: string;
  commitSha?: string;
  touchedFiles: string[];
  failures: TestCaseResult[];
  /** Set when the run ended as `environment`. */
  environment?: EnvironmentFailure;
}

// ---- actor contracts (implemented in src/run/, swapped by fakes in tests) ----

export interface ModelActorInput { step: number; phase: Phase; messages: Message[]; usage: Usage; usd: number; budget: Budget }
/** Thrown value shape understood by the machine as "the budget refused this call". */
export interface ModelActorOutput { response: ModelResponse; usd: number }

/** `touchedFiles`: the files edited before this step (the run's so far). */
export interface ToolsActorInput { step: number; phase: Phase; response: ModelResponse; touchedFiles?: string[] }
export interface ToolsActorOutput { message: Message; changedFiles: string[] }

export interface ValidateActorInput { iteration: number; touchedFiles: string[]; lastStopReason?: string }
export interface ValidateActorOutput { findings: Finding[] }

/** `touchedFiles`: the files the tests run on were edited (an early run is used only if they are unchanged). */
export interface TestActorInput { iteration: number; touchedFiles: string[] }
export interface TestActorOutput { passed: boolean; failures: TestCaseResult[]; environment?: EnvironmentFailure }

export interface RepairActorInput { iteration: number; findings: Finding[]; failures: TestCaseResult[]; environment?: EnvironmentFailure }
export interface RepairActorOutput { prompt: string }

export interface CommitActorInput { summary?: string; task: string }
export interface CommitActorOutput { sha: string }
