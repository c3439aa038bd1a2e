/**
 * The loop as a visible XState v5 machine — no I/O here. Side effects are invoked actors named
 * `callModel`, `runTools`, `validate`, `runTests`, `buildRepair` and `commit`; `src/run/` provides
 * the real ones with `loopMachine.provide({ actors })`, tests provide fakes.
 *
 *   plan (model ⇄ read-only tools) → edit (model ⇄ tools) → validate → test → commit → resolved
 *      └─ an edit tool call ─→ edit.applyingPlanEdit ↑          │         │
 *                                      └──────── repair ←───────┴─────────┘
 *
 * Guards on the way back to repair: the same environment failure twice in a row → `environment`;
 * the same failure set after `stuckAfterRepairs` repairs in a row → `stuck`.
 * Final states: resolved, budget_exhausted, max_iterations, stuck, environment, failed (each with an output).
 */
import { assign, setup, type ErrorActorEvent } from 'xstate';
import { addUsage, textOf, toolUses, ZERO_USAGE } from '../model/types.ts';
import { isExhausted } from '../budget/policy.ts';
import { BudgetError, describeError } from '../errors.ts';
import { EDIT_INSTRUCTION, PLAN_EDIT_INSTRUCTION, PLAN_INSTRUCTION } from './prompts.ts';
import { DEFAULT_STUCK_AFTER_REPAIRS, describeFailureSet, failureSetKey } from './failure-set.ts';
import {
  callSignatures, DEFAULT_MAX_STEPS_PER_PHASE, DEFAULT_READ_ONLY_TOOLS, editUses, environmentReason, notProvided, outputOf, REPEATED_CALL_LIMIT, toOutput, userText, withTextInLastTurn,
} from './loop-parts.ts';
import type {
  CommitActorInput, CommitActorOutput, LoopContext, LoopInput, LoopOutput, ModelActorInput, ModelActorOutput, Phase,
  RepairActorInput, RepairActorOutput, TestActorInput, TestActorOutput, ToolsActorInput, ToolsActorOutput,
  ValidateActorInput, ValidateActorOutput, FinalStatus,
} from './context.ts';

export { DEFAULT_MAX_STEPS_PER_PHASE, DEFAULT_READ_ONLY_TOOLS, REPEATED_CALL_LIMIT } from './loop-parts.ts';

/**
 * The model ⇄ tools sub-loop shared by `plan` and `edit`: call the model; a reply with tool calls
 * goes to `acting` and back; a reply without tool calls finishes the phase.
 */
function phaseStates(phase: Phase, next: '#loop.edit' | '#loop.validate', finish: 'finishPlan' | 'finishEdit') {
  return {
    initial: 'thinking' as const,
    states: {
      thinking: {
        always: { guard: 'budgetSpent' as const, target: '#loop.budget_exhausted', actions: { type: 'failWith' as const, params: { reason: 'token or USD budget spent' } } },
        invoke: {
          src: 'callModel' as const,
          input: ({ context }: { context: LoopContext }): ModelActorInput => ({
            step: context.step, phase, messages: context.messages, usage: context.usage, usd: context.usd, budget: context.budget,
          }),
          onDone: [
            ...(phase === 'plan' ? [{ guard: 'proposesEdit' as const, target: '#loop.edit.applyingPlanEdit', actions: ['recordResponse' as const, 'endPlanWithEdit' as const] }] : []),
            { guard: 'hasToolUses' as const, target: 'acting', actions: 'recordResponse' as const },
            { target: next, actions: ['recordResponse' as const, finish] },
          ],
          onError: [
            { guard: 'budgetRefusal' as const, target: '#loop.budget_exhausted', actions: 'refuseFromError' as const },
            { target: '#loop.failed', actions: { type: 'failFromError' as const, params: { what: 'model' } } },
          ],
        },
      },
      acting: {
        always: [
          { guard: 'repeatedAction' as const, target: '#loop.failed', actions: { type: 'failWith' as const, params: { reason: `repeated_action: the same tool call ${REPEATED_CALL_LIMIT} times in a row` } } },
          { guard: 'stepCapReached' as const, target: '#loop.failed', actions: { type: 'failWith' as const, params: { reason: `step cap reached in ${phase} phase` } } },
        ],
        invoke: {
          src: 'runTools' as const,
          input: ({ context }: { context: LoopContext }): ToolsActorInput => ({ step: context.step, phase, response: context.lastResponse!, touchedFiles: context.touchedFiles }),
          onDone: { target: 'thinking', actions: 'appendToolResults' as const },
          onError: { target: '#loop.failed', actions: { type: 'failFromError' as const, params: { what: 'tools' } } },
        },
      },
    },
  };
}

const isBudgetRefusal = (event: ErrorActorEvent) =>
  event.error instanceof BudgetError || (event.error as { code?: string } | null)?.code === 'budget_preflight';

export const loopMachine = setup({
  types: {
    context: {} as LoopContext,
    input: {} as LoopInput,
    output: {} as LoopOutput,
  },
  actors: {
    callModel: notProvided<ModelActorOutput, ModelActorInput>('callModel'),
    runTools: notProvided<ToolsActorOutput, ToolsActorInput>('runTools'),
    validate: notProvided<ValidateActorOutput, ValidateActorInput>('validate'),
    runTests: notProvided<TestActorOutput, TestActorInput>('runTests'),
    buildRepair: notProvided<RepairActorOutput, RepairActorInput>('buildRepair'),
    commit: notProvided<CommitActorOutput, CommitActorInput>('commit'),
  },
  guards: {
    budgetSpent: ({ context }) => isExhausted(context.budget, { usage: context.usage, usd: context.usd }),
    stepCapReached: ({ context }) => context.stepsInPhase >= context.maxStepsPerPhase,
    repeatedAction: ({ context }) =>
      context.recentCalls.length >= REPEATED_CALL_LIMIT && context.recentCalls.every((c) => c === context.recentCalls[0]),
    iterationsLeft: ({ context }) => context.iteration < context.maxIterations,
    hasToolUses: ({ event }) => toolUses(outputOf<ModelActorOutput>(event).response.content).length > 0,
    proposesEdit: ({ context, event }) => editUses(context, outputOf<ModelActorOutput>(event)).length > 0,
    testsPassed: ({ event }) => outputOf<TestActorOutput>(event).passed,
    /** This test run and the one before it failed in the environment, the same way. */
    environmentRepeated: ({ context, event }) => {
      const env = outputOf<TestActorOutput>(event).environment;
      return env !== undefined && context.environment?.signature === env.signature;
    },
    stuck: ({ context }) => (context.unchangedRepairs ?? 0) >= (context.stuckAfterRepairs ?? DEFAULT_STUCK_AFTER_REPAIRS),
    budgetRefusal: ({ event }) => isBudgetRefusal(event as ErrorActorEvent),
  },
  actions: {
    recordResponse: assign(({ context, event }) => {
      const out = outputOf<ModelActorOutput>(event);
      return {
        step: context.step + 1,
        stepsInPhase: context.stepsInPhase + 1,
        usage: addUsage(context.usage, out.response.usage),
        usd: context.usd + out.usd,
        lastResponse: out.response,
        messages: [...context.messages, { role: 'assistant' as const, content: out.response.content }],
        recentCalls: callSignatures(context, out),
      };
    }),
    failWith: assign((_, params: { reason: string }) => ({ reason: params.reason })),
    failFromError: assign(({ event }, params: { what: string }) => ({ reason: `${params.what}: ${describeError((event as ErrorActorEvent).error)}` })),
    refuseFromError: assign(({ event }) => ({ reason: describeError((event as ErrorActorEvent).error) })),
    appendToolResults: assign(({ context, event }) => {
      const out = outputOf<ToolsActorOutput>(event);
      return {
        messages: [...context.messages, out.message],
        touchedFiles: [...new Set([...context.touchedFiles, ...out.changedFiles])],
      };
    }),
    finishPlan: assign(({ context }) => ({
      plan: textOf(context.lastResponse?.content ?? []),
      phase: 'edit' as Phase,
      stepsInPhase: 0,
      messages: [...context.messages, userText(EDIT_INSTRUCTION)],
    })),
    /** The plan ends at a reply that calls an edit tool; its text (if any) is the plan. */
    endPlanWithEdit: assign(({ context }) => ({
      plan: textOf(context.lastResponse?.content ?? []) || '(the plan ended with an edit)',
      phase: 'edit' as Phase,
      stepsInPhase: 0,
    })),
    /** The tool results of the plan-phase reply carry the edit instruction (same user turn: results must follow the tool calls). */
    appendPlanEditInstruction: assign(({ context }) => ({ messages: withTextInLastTurn(context.messages, PLAN_EDIT_INSTRUCTION) })),
    /** Records the failed check's failure set and whether the repair before it changed it. */
    trackFailureSet: assign(({ context }) => {
      const key = failureSetKey(context.findings, context.failures);
      return { failureSet: key, unchangedRepairs: key === context.failureSet ? (context.unchangedRepairs ?? 0) + 1 : 0 };
    }),
    finishEdit: assign(({ context }) => ({
      summary: textOf(context.lastResponse?.content ?? []),
      iteration: context.iteration + 1,
    })),
    markFinal: assign((_, params: { status: FinalStatus }) => ({ status: params.status })),
  },
}).createMachine({
  id: 'loop',
  context: ({ input }) => ({
    task: input.task,
    budget: input.budget,
    maxIterations: input.maxIterations,
    maxStepsPerPhase: input.maxStepsPerPhase ?? DEFAULT_MAX_STEPS_PER_PHASE,
    messages: [userText(PLAN_INSTRUCTION)],
    phase: 'plan' as Phase,
    step: 0,
    stepsInPhase: 0,
    iteration: 0,
    usage: ZERO_USAGE,
    usd: 0,
    recentCalls: [],
    stuckAfterRepairs: input.stuckAfterRepairs ?? DEFAULT_STUCK_AFTER_REPAIRS,
    readOnlyTools: input.readOnlyTools ?? DEFAULT_READ_ONLY_TOOLS,
    unchangedRepairs: 0,
    touchedFiles: [],
    findings: [],
    failures: [],
    testsPassed: false,
  }),
  initial: 'plan',
  states: {
    plan: phaseStates('plan', '#loop.edit', 'finishPlan'),
    edit: {
      initial: 'thinking',
      states: {
        ...phaseStates('edit', '#loop.validate', 'finishEdit').states,
        /** The first step of `edit` when the plan ended with an edit: run that reply's tool calls as edits. */
        applyingPlanEdit: {
          invoke: {
            src: 'runTools' as const,
            input: ({ context }: { context: LoopContext }): ToolsActorInput => ({ step: context.step, phase: 'edit', response: context.lastResponse!, touchedFiles: context.touchedFiles }),
            onDone: { target: 'thinking', actions: ['appendToolResults' as const, 'appendPlanEditInstruction' as const] },
            onError: { target: '#loop.failed', actions: { type: 'failFromError' as const, params: { what: 'tools' } } },
          },
        },
      },
    },
    validate: {
      invoke: {
        src: 'validate',
        input: ({ context }) => ({ iteration: context.iteration, touchedFiles: context.touchedFiles, lastStopReason: context.lastResponse?.stopReason }),
        onDone: [
          {
            guard: ({ event }) => event.output.findings.some((f) => f.severity === 'error'),
            target: 'checkIterations',
            actions: [assign(({ event }) => ({ findings: event.output.findings, failures: [], environment: undefined })), 'trackFailureSet'],
          },
          { target: 'test', actions: assign(({ event }) => ({ findings: event.output.findings })) },
        ],
        onError: { target: 'failed', actions: assign(({ event }) => ({ reason: `validate: ${describeError(event.error)}` })) },
      },
    },
    test: {
      invoke: {
        src: 'runTests',
        input: ({ context }) => ({ iteration: context.iteration, touchedFiles: context.touchedFiles }),
        onDone: [
          { guard: 'testsPassed', target: 'commit', actions: assign({ testsPassed: true, failures: [] }) },
          {
            guard: 'environmentRepeated',
            target: 'environment',
            actions: assign(({ event }) => ({ testsPassed: false, failures: event.output.failures, environment: event.output.environment, reason: environmentReason(event.output.environment!) })),
          },
          {
            target: 'checkIterations',
            actions: [assign(({ event }) => ({ testsPassed: false, failures: event.output.failures, environment: event.output.environment })), 'trackFailureSet'],
          },
        ],
        onError: { target: 'failed', actions: assign(({ event }) => ({ reason: `test: ${describeError(event.error)}` })) },
      },
    },
    checkIterations: {
      always: [
        {
          guard: 'stuck',
          target: 'stuck',
          actions: assign(({ context }) => ({ reason: `the same failures after ${context.unchangedRepairs} repairs in a row: ${describeFailureSet(context.failureSet ?? '[]')}` })),
        },
        { guard: 'iterationsLeft', target: 'repair' },
        { target: 'max_iterations', actions: assign(({ context }) => ({ reason: `${context.iteration} of ${context.maxIterations} iterations used and the checks still fail` })) },
      ],
    },
    repair: {
      invoke: {
        src: 'buildRepair',
        input: ({ context }) => ({ iteration: context.iteration, findings: context.findings, failures: context.failures, ...(context.environment ? { environment: context.environment } : {}) }),
        onDone: {
          target: 'edit',
          actions: assign(({ context, event }) => ({ messages: [...context.messages, userText(event.output.prompt)], stepsInPhase: 0, recentCalls: [] })),
        },
        onError: { target: 'failed', actions: assign(({ event }) => ({ reason: `repair: ${describeError(event.error)}` })) },
      },
    },
    commit: {
      invoke: {
        src: 'commit',
        input: ({ context }) => ({ summary: context.summary, task: context.task }),
        onDone: { target: 'resolved', actions: assign(({ event }) => ({ commitSha: event.output.sha })) },
        onError: { target: 'failed', actions: assign(({ event }) => ({ reason: `commit: ${describeError(event.error)}` })) },
      },
    },
    resolved: { type: 'final', entry: { type: 'markFinal', params: { status: 'resolved' } } },
    budget_exhausted: { type: 'final', entry: { type: 'markFinal', params: { status: 'budget_exhausted' } } },
    max_iterations: { type: 'final', entry: { type: 'markFinal', params: { status: 'max_iterations' } } },
    stuck: { type: 'final', entry: { type: 'markFinal', params: { status: 'stuck' } } },
    environment: { type: 'final', entry: { type: 'markFinal', params: { status: 'environment' } } },
    failed: { type: 'final', entry: { type: 'markFinal', params: { status: 'failed' } } },
  },
  output: ({ context }) => toOutput(context),
});
