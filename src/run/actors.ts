/**
 * The real side effects of a run, as the named actors the loop machine invokes: model calls (with
 * the budget pre-flight), tool calls, validation, the sandboxed test command, the repair prompt and
 * the commit. Each writes its step to the trajectory as it happens.
 */
import { fromPromise } from 'xstate';
import type { ModelActorInput, ModelActorOutput, ToolsActorInput, ToolsActorOutput, ValidateActorInput, ValidateActorOutput, TestActorInput, TestActorOutput, RepairActorInput, RepairActorOutput, CommitActorInput, CommitActorOutput } from '../machine/context.ts';
import { invalidToolInput, toolUses, type ModelProvider, type ModelRequest, type ModelResponse, type ToolResultBlock, type Usage } from '../model/types.ts';
import { estimateInputTokens } from '../model/estimate.ts';
import { preflight } from '../budget/policy.ts';
import { BudgetError } from '../errors.ts';
import { SYSTEM_PROMPT } from '../machine/prompts.ts';
import type { Tool, ToolContext, ToolResult } from '../tools/types.ts';
import { runToolCall } from '../tools/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { runTests } from '../sandbox/run-tests.ts';
import type { ValidationReport } from '../validate/types.ts';
import { buildRepairPrompt } from '../validate/repair-prompt.ts';
import { testFindings } from '../validate/tests.ts';
import { commitRun, diffAgainstBase, type RunWorktree } from '../git/worktree.ts';
import { readTrajectory, type TrajectoryWriter } from '../trace/trajectory.ts';
import { runPrecheck } from './precheck.ts';
import { contentSha, editTarget, recoverEdit } from './edit-intent.ts';
import type { Journal } from './journal.ts';

export interface ValidationRunner {
  run(touchedFiles: string[], opts: { lastStopReason?: string }): Promise<ValidationReport>;
}

export interface RunActorDeps {
  runId: string;
  provider: ModelProvider;
  sandbox: Sandbox;
  tools: Tool[];
  toolContext: ToolContext;
  /** USD cost of one call's usage for the model that answered (`provider` ends in `-batch` for Message Batches replies). */
  cost: (model: string, usage: Usage, provider?: string) => number;
  /** USD per output token of the provider's model, for the USD pre-flight (0 = unknown). */
  usdPerOutputToken: number;
  validation: ValidationRunner | null;
  worktree: RunWorktree;
  /** The cached prefix: task + repo map. */
  context: string;
  testCommand: string;
  testTimeoutMs: number;
  maxOutputTokens: number;
  trace: TrajectoryWriter;
  /** Side effects already recorded in the trace (resume): reused instead of repeated. */
  journal?: Journal;
  onModelText?: (text: string) => void;
  /** Chain switches (retry/fallback/circuit) since the last call, drained into the trace. */
  drainModelEvents?: () => object[];
  /** Stream text as it arrives (terminal + trace) instead of after the call. */
  stream?: boolean;
  now?: () => number;
}

/**
 * Input tokens of a request for the budget pre-flight: the provider's own count (Anthropic's
 * count_tokens endpoint) when it has one and answers, else the local ≈4 chars/token estimate.
 */
export async function countInput(provider: ModelProvider, request: ModelRequest, signal?: AbortSignal): Promise<number> {
  if (provider.countTokens) {
    try {
      return (await provider.countTokens(request, signal)).inputTokens;
    } catch {
      // Offline or not supported: the estimate is the documented fallback.
    }
  }
  return estimateInputTokens(request);
}

export function createRunActors(d: RunActorDeps) {
  const now = d.now ?? Date.now;
  const specs = d.tools.map((t) => t.spec);
  const byName = new Map(d.tools.map((t) => [t.spec.name, t]));

  const callModel = fromPromise<ModelActorOutput, ModelActorInput>(async ({ input, signal }) => {
    // All tools are always sent (plan refuses edits at the tool layer) so the cached prefix never changes.
    const request: ModelRequest = { system: SYSTEM_PROMPT, context: d.context, messages: input.messages, tools: specs, maxTokens: d.maxOutputTokens };
    const recorded = d.journal?.replies.get(input.step);
    if (recorded) return { response: recorded, usd: d.cost(recorded.model, recorded.usage, recorded.provider) };
    const estimate = await countInput(d.provider, request, signal);
    const pf = preflight(input.budget, { usage: input.usage, usd: input.usd }, estimate, d.maxOutputTokens, d.usdPerOutputToken);
    if (!pf.ok) throw new BudgetError('budget_preflight', `call not sent — ${pf.reason}`);
    request.maxTokens = pf.maxOutputTokens;
    const t0 = now();
    const onText = d.stream
      ? (text: string) => {
          d.onModelText?.(text);
          d.trace.write({ type: 'model_text', step: input.step, text });
        }
      : undefined;
    let response: ModelResponse;
    try {
      response = await d.provider.complete(request, signal, onText ? { onText } : undefined);
    } finally {
      for (const event of d.drainModelEvents?.() ?? []) d.trace.write({ type: 'model_event', step: input.step, event: event as Record<string, unknown> });
    }
    const usd = d.cost(response.model, response.usage, response.provider);
    const last = input.messages.at(-1);
    const lastText = last?.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_result' ? `[tool_result ${b.tool_use_id}]` : `[${b.type}]`)).join(' ') ?? '';
    d.trace.write({
      type: 'model_call', step: input.step, phase: input.phase, provider: response.provider, model: response.model,
      request: { system: SYSTEM_PROMPT.slice(0, 80), contextChars: d.context.length, messages: input.messages.length, lastUserMessage: lastText.slice(0, 2000) },
      response: { content: response.content, stopReason: response.stopReason }, usage: response.usage, usd, ms: now() - t0,
    });
    if (!d.stream) for (const b of response.content) if (b.type === 'text' && b.text) d.onModelText?.(b.text);
    return { response, usd };
  });

  const runTools = fromPromise<ToolsActorOutput, ToolsActorInput>(async ({ input }) => {
    const results: ToolResultBlock[] = [];
    const changed = new Set<string>();
    for (const use of toolUses(input.response.content)) {
      const t0 = now();
      const tool = byName.get(use.name);
      let res: ToolResult;
      const done = d.journal?.toolResults.get(use.id);
      if (done) {
        res = done; // applied before the run was killed: never apply an edit twice
      } else if (invalidToolInput(use.input) !== undefined) {
        // The provider could not parse the model's tool arguments: tell the model, never crash.
        res = { ok: false, llmContent: `${use.name}: the arguments were not valid JSON (${invalidToolInput(use.input)!.slice(0, 200)}). Send the call again with a JSON object matching the tool's schema.`, display: `${use.name}: malformed JSON arguments` };
      } else if (input.phase === 'plan' && tool && !tool.readOnly) {
        res = { ok: false, llmContent: `${use.name} is not available while planning: finish the plan first (answer without a tool call), then edit.`, display: `refused ${use.name} during plan` };
      } else {
        const target = tool && !tool.readOnly ? editTarget(use.input) : undefined;
        const intent = d.journal?.intents.get(use.id);
        const recovered = intent ? recoverEdit(intent, contentSha(d.toolContext.root, intent.path)) : undefined;
        if (recovered) res = recovered;
        else {
          if (target && !intent) d.trace.write({ type: 'tool_intent', step: input.step, id: use.id, name: use.name, path: target, beforeSha: contentSha(d.toolContext.root, target) });
          res = await runToolCall(d.tools, use.name, use.input, d.toolContext);
        }
      }
      if (!done) d.trace.write({ type: 'tool_call', step: input.step, id: use.id, name: use.name, input: use.input, ok: res.ok, display: res.display, llmContent: res.llmContent, changedFiles: res.changedFiles, diff: res.diff, ms: now() - t0 });
      results.push({ type: 'tool_result', tool_use_id: use.id, content: res.llmContent, ...(res.ok ? {} : { is_error: true }) });
      for (const f of res.changedFiles ?? []) changed.add(f);
    }
    return { message: { role: 'user', content: results }, changedFiles: [...changed] };
  });

  const validate = fromPromise<ValidateActorOutput, ValidateActorInput>(async ({ input }) => {
    if (!d.validation) return { findings: [] };
    const report = await d.validation.run(input.touchedFiles, { lastStopReason: input.lastStopReason });
    d.trace.write({ type: 'validation', iteration: input.iteration, findings: report.findings, ran: report.ran, skipped: report.skipped, autoFixes: report.autoFixes, ms: report.durationMs });
    return { findings: report.findings };
  });

  const runTestsActor = fromPromise<TestActorOutput, TestActorInput>(async ({ input, signal }) => {
    const t0 = now();
    // Fast pre-check first: the model's own isolated-vm checks; a failure skips the slow suite.
    const pre = await runPrecheck(d.worktree.path, readTrajectory(d.trace.path));
    if (pre.ran > 0) d.trace.write({ type: 'precheck', iteration: input.iteration, ran: pre.ran, failures: pre.failures, ms: pre.ms });
    if (pre.failures.length > 0) return { passed: false, failures: pre.failures };
    const result = await runTests(d.sandbox, { command: d.testCommand, cwd: d.worktree.path, timeoutMs: d.testTimeoutMs, signal });
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const t of result.tests) counts[t.status] += 1;
    const { output, ...command } = result.command;
    d.trace.write({ type: 'test_run', iteration: input.iteration, passed: result.passed, command: { ...command, outputTail: output.slice(-4000) }, failures: result.failures, counts, ms: now() - t0 });
    return { passed: result.passed, failures: result.failures };
  });

  const buildRepair = fromPromise<RepairActorOutput, RepairActorInput>(async ({ input }) => {
    const diff = await diffAgainstBase(d.worktree);
    const findings = [...input.findings, ...testFindings({ failures: input.failures, tests: [] })];
    const prompt = buildRepairPrompt({ findings, diff, iteration: input.iteration });
    d.trace.write({ type: 'repair_prompt', iteration: input.iteration, prompt });
    return { prompt };
  });

  const commit = fromPromise<CommitActorOutput, CommitActorInput>(async ({ input }) => {
    const title = input.task.split('\n')[0]!.replace(/[^\x20-\x7e]/g, '').slice(0, 60).trim() || 'task';
    const sha = await commitRun(d.worktree, d.runId, `patchloop: ${title}\n\n${(input.summary ?? '').slice(0, 4000)}`);
    // commitRun is idempotent; a resumed run whose commit is already on record does not record it twice.
    if (sha !== d.journal?.commitSha) d.trace.write({ type: 'commit', sha, branch: d.worktree.branch });
    return { sha };
  });

  return { callModel, runTools, validate, runTests: runTestsActor, buildRepair, commit };
}
