/**
 * The loop machine's context, input, output and actor contracts. Everything here is plain data so
 * `actor.getPersistedSnapshot()` serialises it and a run can be inspected and resumed.
 */
import type { Message, ModelResponse, Usage } from '../model/types.ts';
import type { Finding } from '../validate/types.ts';
import type { TestCaseResult } from '../sandbox/types.ts';
import type { Budget } from '../budget/policy.ts';

export type Phase = 'plan' | 'edit';

export type FinalStatus = 'resolved' | 'budget_exhausted' | 'max_iterations' | 'failed';

export interface LoopInput {
  /** The user's task text (untrusted). */
  task: string;
  budget: Budget;
  /** Cap on edit → check passes (iterations). */
  maxIterations: number;
  /** Cap on model calls inside one plan/edit phase (stops runaway tool loops). */
  maxStepsPerPhase?: number;
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
}

// ---- actor contracts (implemented in src/run/, swapped by fakes in tests) ----

export interface ModelActorInput { step: number; phase: Phase; messages: Message[]; usage: Usage; usd: number; budget: Budget }
/** Thrown value shape understood by the machine as "the budget refused this call". */
export interface ModelActorOutput { response: ModelResponse; usd: number }

export interface ToolsActorInput { step: number; phase: Phase; response: ModelResponse }
export interface ToolsActorOutput { message: Message; changedFiles: string[] }

export interface ValidateActorInput { iteration: number; touchedFiles: string[]; lastStopReason?: string }
export interface ValidateActorOutput { findings: Finding[] }

export interface TestActorInput { iteration: number }
export interface TestActorOutput { passed: boolean; failures: TestCaseResult[] }

export interface RepairActorInput { iteration: number; findings: Finding[]; failures: TestCaseResult[] }
export interface RepairActorOutput { prompt: string }

export interface CommitActorInput { summary?: string; task: string }
export interface CommitActorOutput { sha: string }
