/** Pure pieces of the loop machine (constants, context → output, event readers), kept out of loop.ts so the machine stays on one screen. */
import { fromPromise } from 'xstate';
import { toolUses, type Message } from '../model/types.ts';
import type { EnvironmentFailure, LoopContext, LoopOutput, ModelActorOutput } from './context.ts';

/** Identical consecutive tool calls that count as a runaway loop (opencode-style repeat guard). */
export const REPEATED_CALL_LIMIT = 3;
/** Default cap on model calls within one plan or edit phase. */
export const DEFAULT_MAX_STEPS_PER_PHASE = 40;
/** Tools that cannot change a file (src/tools, `readOnly: true`), when the input does not list them. */
export const DEFAULT_READ_ONLY_TOOLS = ['read_file', 'list_files', 'search', 'check_pure'];

/** An actor slot that fails until `loopMachine.provide({ actors })` fills it. */
export const notProvided = <O, I>(name: string) =>
  fromPromise<O, I>(async () => {
    throw new Error(`actor "${name}" was not provided`);
  });

export function userText(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

/** `messages` with `text` appended to the last (user) turn, e.g. after its tool results. */
export function withTextInLastTurn(messages: Message[], text: string): Message[] {
  const last = messages.at(-1)!;
  return [...messages.slice(0, -1), { ...last, content: [...last.content, { type: 'text', text }] }];
}

/** The last REPEATED_CALL_LIMIT tool-call signatures after this reply. */
export function callSignatures(ctx: LoopContext, out: ModelActorOutput): string[] {
  const sigs = toolUses(out.response.content).map((t) => `${t.name}:${JSON.stringify(t.input)}`);
  return [...ctx.recentCalls, ...sigs].slice(-REPEATED_CALL_LIMIT);
}

export function toOutput(context: LoopContext): LoopOutput {
  return {
    status: context.status ?? 'failed',
    reason: context.reason,
    iterations: context.iteration,
    steps: context.step,
    usage: context.usage,
    usd: context.usd,
    plan: context.plan,
    summary: context.summary,
    commitSha: context.commitSha,
    touchedFiles: context.touchedFiles,
    failures: context.failures,
    ...(context.status === 'environment' && context.environment ? { environment: context.environment } : {}),
  };
}

/** The output of a done event (XState's event types do not narrow per transition here). */
export const outputOf = <T>(event: unknown) => (event as { output: T }).output;

/** Tool calls of a reply that are not read-only (edits). Snapshots from before the field fall back to the default list. */
export function editUses(ctx: LoopContext, out: ModelActorOutput) {
  const readOnly = new Set(ctx.readOnlyTools ?? DEFAULT_READ_ONLY_TOOLS);
  return toolUses(out.response.content).filter((t) => !readOnly.has(t.name));
}

/** The reason of a run that ended as `environment`: the error and the fix, for the person. */
export const environmentReason = (env: EnvironmentFailure) => `the test command failed twice in a row before any test ran: ${env.message} — fix: ${env.fix}`;
