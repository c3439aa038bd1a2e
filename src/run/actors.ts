/**
 * The real side effects of a run, as the named actors the loop machine invokes: model calls (with
 * the budget pre-flight), tool calls, validation, the sandboxed test command, the repair prompt and
 * the commit. Each writes its step to the trajectory as it happens.
 */
import { fromPromise } from 'xstate';
import type { ModelActorInput, ModelActorOutput, ToolsActorInput, ToolsActorOutput, ValidateActorInput, ValidateActorOutput, TestActorInput, TestActorOutput, RepairActorInput, RepairActorOutput, CommitActorInput, CommitActorOutput } from '../machine/context.ts';
import { invalidToolInput, toolUses, type ModelProvider, type ModelRequest, type ModelResponse, type ToolResultBlock, type Usage } from '../model/types.ts';
import { SYSTEM_PROMPT } from '../machine/prompts.ts';
import type { Tool, ToolContext, ToolResult } from '../tools/types.ts';
import { runToolCall } from '../tools/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { ValidationReport } from '../validate/types.ts';
import { buildRepairPrompt } from '../validate/repair-prompt.ts';
import { testFindings } from '../validate/tests.ts';
import { commitRun, diffAgainstBase, type RunWorktree } from '../git/worktree.ts';
import type { TrajectoryWriter } from '../trace/trajectory.ts';
import { contentSha, editTarget, recoverEdit } from './edit-intent.ts';
import type { Journal } from './journal.ts';
import { preflightCall } from './preflight-call.ts';
import { TimeLedger } from './timing.ts';
import { EarlyTests, filesFingerprint } from './early-tests.ts';
import { EarlyValidation } from './early-validation.ts';
import { commandOutputSection, environmentSection, secretValues, SYNTHETIC_FAILURE_ID } from './environment-failure.ts';
import { createTestExecutor } from './test-step.ts';
import { createCompactor, type CompactionPolicy } from '../context/compaction.ts';

export interface ValidationRunner {
  /** `autoFix: false`: a dry run that must write nothing (an early validation, see early-validation.ts). */
  run(touchedFiles: string[], opts: { lastStopReason?: string; autoFix?: boolean }): Promise<ValidationReport>;
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
  /** Where the run's time goes (see timing.ts); a private ledger when absent. */
  timing?: TimeLedger;
  /** True while validation warms up in the background: its hold on the event loop during a model wait is validation time. */
  validationWarming?: () => boolean;
  /** Secret values never to copy into a prompt or the trace (default: key-like env vars of this process). */
  secrets?: string[];
  /** When old tool results are summarised (default `DEFAULT_COMPACTION`). */
  compaction?: CompactionPolicy;
  /**
   * Validate as soon as an edit step changed files, while the model writes its next reply, and start
   * the test command with validation (default true; see early-validation.ts and early-tests.ts).
   */
  earlyTests?: boolean;
}

export function createRunActors(d: RunActorDeps) {
  const now = d.now ?? Date.now;
  const timing = d.timing ?? new TimeLedger(now);
  const secrets = d.secrets ?? secretValues();
  const specs = d.tools.map((t) => t.spec);
  const byName = new Map(d.tools.map((t) => [t.spec.name, t]));
  const compact = createCompactor(d.compaction);
  const early = new EarlyTests(now);
  const earlyValidation = d.validation && d.earlyTests !== false ? new EarlyValidation(d.validation, now) : undefined;
  // Made on the first test step: a run that never tests (and a test's partial deps) needs no worktree for it.
  let executor: ReturnType<typeof createTestExecutor> | undefined;
  const executeTests = (signal?: AbortSignal) =>
    (executor ??= createTestExecutor({ sandbox: d.sandbox, cwd: d.worktree.path, testCommand: d.testCommand, testTimeoutMs: d.testTimeoutMs, trace: d.trace, secrets, now }))(signal);
  const warmingPart = () => (d.validationWarming?.() ? ('validationMs' as const) : undefined);

  const callModel = fromPromise<ModelActorOutput, ModelActorInput>(async ({ input, signal }) => {
    // All tools are always sent so the cached prefix never changes (a plan-phase edit ends the plan in the machine).
    // Compaction rewrites only old tool results inside `messages`: system, tools and context stay byte-identical.
    const compacted = compact(input.messages);
    if (compacted.event) d.trace.write({ type: 'compaction', step: input.step, ...compacted.event });
    const request: ModelRequest = { system: SYSTEM_PROMPT, context: d.context, messages: compacted.messages, tools: specs, maxTokens: d.maxOutputTokens };
    const recorded = d.journal?.replies.get(input.step);
    if (recorded) return { response: recorded, usd: d.cost(recorded.model, recorded.usage, recorded.provider) };
    const t0 = now();
    const pf = await timing.timeWait('modelWaitMs', () => preflightCall(d.provider, request, input.budget, { usage: input.usage, usd: input.usd }, d.usdPerOutputToken, signal), warmingPart);
    request.maxTokens = pf.maxOutputTokens;
    const onText = d.stream
      ? (text: string) => {
          d.onModelText?.(text);
          d.trace.write({ type: 'model_text', step: input.step, text });
        }
      : undefined;
    let response: ModelResponse;
    try {
      response = await timing.timeWait('modelWaitMs', () => d.provider.complete(request, signal, onText ? { onText } : undefined), warmingPart);
    } finally {
      for (const event of d.drainModelEvents?.() ?? []) d.trace.write({ type: 'model_event', step: input.step, event: event as Record<string, unknown> });
    }
    const usd = d.cost(response.model, response.usage, response.provider);
    const last = input.messages.at(-1);
    const lastText = last?.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_result' ? `[tool_result ${b.tool_use_id}]` : `[${b.type}]`)).join(' ') ?? '';
    d.trace.write({
      type: 'model_call', step: input.step, phase: input.phase, provider: response.provider, model: response.model,
      request: { system: SYSTEM_PROMPT.slice(0, 80), contextChars: d.context.length, messages: input.messages.length, lastUserMessage: lastText.slice(0, 2000) },
      response: { content: response.content, stopReason: response.stopReason }, usage: response.usage, usd, ms: now() - t0, preflight: pf.source,
    });
    if (!d.stream) for (const b of response.content) if (b.type === 'text' && b.text) d.onModelText?.(b.text);
    return { response, usd };
  });

  const runTools = fromPromise<ToolsActorOutput, ToolsActorInput>(({ input }) => timing.time('toolsMs', async () => {
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
        // Only reached if the machine's read-only list and the tool disagree: never edit while planning.
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
    if (d.earlyTests !== false && input.phase === 'edit' && changed.size > 0) {
      // The model's next reply may end the edits: validate (then test) what is on disk meanwhile, or
      // without validation test it at once.
      const files = [...new Set([...(input.touchedFiles ?? []), ...changed])];
      const fingerprint = filesFingerprint(d.worktree.path, files);
      void early.discard(); // tests of the files before this step are stale
      const startTests = () => early.start(fingerprint, (signal) => executeTests(signal));
      if (earlyValidation) earlyValidation.start(files, fingerprint, startTests);
      else if (!d.validation) startTests();
    }
    return { message: { role: 'user' as const, content: results }, changedFiles: [...changed] };
  }));

  const validate = fromPromise<ValidateActorOutput, ValidateActorInput>(async ({ input }) => {
    if (!d.validation) return { findings: [] };
    const validation = d.validation;
    const fingerprint = filesFingerprint(d.worktree.path, input.touchedFiles);
    const traceReport = (report: ValidationReport, earlyMs?: number) =>
      d.trace.write({ type: 'validation', iteration: input.iteration, findings: report.findings, ran: report.ran, skipped: report.skipped, autoFixes: report.autoFixes, ms: report.durationMs, ...(earlyMs !== undefined ? { earlyMs } : {}), ...(report.server ? { server: report.server } : {}) });
    if (earlyValidation) {
      // The tests start now whatever the early validation says: they run beside it, or beside the real one.
      early.start(fingerprint, (signal) => executeTests(signal));
      const taken = await timing.time('validationMs', () => earlyValidation.take(fingerprint, input.lastStopReason));
      if (taken) {
        traceReport(taken.report, taken.ranMs);
        return { findings: taken.report.findings };
      }
    }
    let report: ValidationReport;
    try {
      report = await timing.time('validationMs', () => validation.run(input.touchedFiles, { lastStopReason: input.lastStopReason }));
    } catch (err) {
      await early.discard();
      throw err;
    }
    traceReport(report);
    const blocked = report.findings.some((f) => f.severity === 'error');
    // The tests ran on the files as they were before validation: an auto-fix makes their result stale.
    if (blocked || report.autoFixes.length > 0 || filesFingerprint(d.worktree.path, input.touchedFiles) !== fingerprint) await early.discard();
    return { findings: report.findings };
  });

  const runTestsActor = fromPromise<TestActorOutput, TestActorInput>(async ({ input, signal }) => {
    const t0 = now();
    const taken = early.take(filesFingerprint(d.worktree.path, input.touchedFiles), signal);
    const outcome = taken ? await taken.result : await executeTests(signal);
    if (taken) {
      // Only the wait after validation is the test step's: the rest ran under validation's time.
      const waited = now() - t0;
      const sum = outcome.parts.testCommandMs + outcome.parts.sandboxOverheadMs || 1;
      timing.add('testCommandMs', (waited * outcome.parts.testCommandMs) / sum);
      timing.add('sandboxOverheadMs', (waited * outcome.parts.sandboxOverheadMs) / sum);
    } else {
      timing.add('testCommandMs', outcome.parts.testCommandMs);
      timing.add('sandboxOverheadMs', outcome.parts.sandboxOverheadMs);
    }
    for (const line of outcome.lines) d.trace.write({ ...line, iteration: input.iteration, ...(line.type === 'test_run' && taken ? { earlyMs: taken.ranMs } : {}) });
    return outcome.output;
  });

  const buildRepair = fromPromise<RepairActorOutput, RepairActorInput>(async ({ input }) => {
    const diff = await diffAgainstBase(d.worktree);
    // An environment failure's synthetic "(command)" case would only say "fix the code under test": the real error goes instead.
    const failures = input.environment ? input.failures.filter((f) => f.id !== SYNTHETIC_FAILURE_ID) : input.failures;
    const envFinding = input.environment
      ? [{ validator: 'tests' as const, file: '(command)', line: 0, column: 0, rule: 'tests/environment', message: `the test command failed before any test ran: ${input.environment.message}`, severity: 'error' as const, suggestion: 'read the command output below' }]
      : [];
    const findings = [...input.findings, ...envFinding, ...testFindings({ failures, tests: [] })];
    const synthetic = failures.find((f) => f.id === SYNTHETIC_FAILURE_ID);
    const extra = input.environment ? environmentSection(input.environment) : synthetic ? commandOutputSection(synthetic.message ?? '', secrets) : '';
    const prompt = [buildRepairPrompt({ findings, diff, iteration: input.iteration }), extra].filter(Boolean).join('\n\n');
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

  return { callModel, runTools, validate, runTests: runTestsActor, buildRepair, commit, settleEarlyChecks: async () => {
    await early.discard();
    await earlyValidation?.idle();
  } };
}
