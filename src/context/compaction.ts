/**
 * Context management for long runs (pure policy): once the conversation passes a threshold, the
 * results of old tool calls are replaced by one-line summaries (what was read, what changed). Only
 * `tool_result` contents before a cut point change; the system prompt, tools and `<repo_map>`
 * prefix are not part of `messages` and stay byte-identical, and every text block — the plan
 * instruction, the plan, repair prompts with the latest failures — and every tool call is kept.
 * The cut only moves forward, so the compacted history is itself stable between compactions.
 */
import { CHARS_PER_TOKEN } from '../model/estimate.ts';
import type { ContentBlock, Message, ToolUseBlock } from '../model/types.ts';

export interface CompactionPolicy {
  /** Compact when the messages' estimated size passes this (tokens). */
  thresholdTokens: number;
  /** Messages at the end never compacted (the latest tool results stay whole). */
  keepRecentMessages: number;
}

/** 48k tokens: a quarter of a 200k window, well under the default 200k-token run budget. */
export const DEFAULT_COMPACTION: CompactionPolicy = { thresholdTokens: 48_000, keepRecentMessages: 6 };

/** What one compaction did, for the trace. */
export interface CompactionEvent { cut: number; replaced: number; tokensBefore: number; tokensAfter: number }

export interface CompactionResult {
  messages: Message[];
  /** Messages before this index have their tool results summarised. */
  cut: number;
  /** Set when this call moved the cut (a new compaction). */
  event?: CompactionEvent;
}

const SUMMARY_PREFIX = '[compacted earlier result]';

const estimate = (messages: Message[]) => Math.ceil(JSON.stringify(messages).length / CHARS_PER_TOKEN);

/** One line for a tool result: the call, its target, ok or error, and the result's first line. */
export function summarizeToolResult(use: ToolUseBlock | undefined, content: string, isError: boolean): string {
  if (content.startsWith(SUMMARY_PREFIX)) return content;
  const input = (use?.input ?? {}) as Record<string, unknown>;
  const target = ['path', 'file', 'pattern', 'query', 'symbol'].map((k) => input[k]).find((v) => typeof v === 'string') as string | undefined;
  const range = typeof input.start_line === 'number' ? ` lines ${input.start_line}-${typeof input.end_line === 'number' ? input.end_line : '…'}` : '';
  const first = content.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 160) ?? '';
  return `${SUMMARY_PREFIX} ${use?.name ?? 'tool'}${target ? ` ${target}` : ''}${range}: ${isError ? 'error' : 'ok'}, ${content.length} chars — ${first} (call again to see it now)`;
}

function compactBefore(messages: Message[], cut: number): { messages: Message[]; replaced: number } {
  const uses = new Map<string, ToolUseBlock>();
  for (const m of messages) for (const b of m.content) if (b.type === 'tool_use') uses.set(b.id, b);
  let replaced = 0;
  const out = messages.map((m, i) => {
    if (i >= cut || m.role !== 'user' || !m.content.some((b) => b.type === 'tool_result')) return m;
    const content = m.content.map((b): ContentBlock => {
      if (b.type !== 'tool_result' || b.content.startsWith(SUMMARY_PREFIX)) return b;
      replaced++;
      return { ...b, content: summarizeToolResult(uses.get(b.tool_use_id), b.content, b.is_error === true) };
    });
    return { ...m, content };
  });
  return { messages: out, replaced };
}

/**
 * Applies the policy. `previousCut` (from the last call) is always re-applied, so the same history
 * renders the same way on every call; the cut moves to `messages.length - keepRecentMessages` only
 * when the estimate passes the threshold.
 */
export function compactMessages(messages: Message[], policy: CompactionPolicy = DEFAULT_COMPACTION, previousCut = 0): CompactionResult {
  const kept = compactBefore(messages, previousCut);
  const before = estimate(kept.messages);
  const newCut = messages.length - policy.keepRecentMessages;
  if (before <= policy.thresholdTokens || newCut <= previousCut) return { messages: kept.messages, cut: previousCut };
  const next = compactBefore(kept.messages, newCut);
  return { messages: next.messages, cut: newCut, event: { cut: newCut, replaced: next.replaced, tokensBefore: before, tokensAfter: estimate(next.messages) } };
}

/** Keeps the cut between calls of one run (the actor's only state). */
export function createCompactor(policy: CompactionPolicy = DEFAULT_COMPACTION) {
  let cut = 0;
  return (messages: Message[]): CompactionResult => {
    const r = compactMessages(messages, policy, Math.min(cut, messages.length));
    cut = r.cut;
    return r;
  };
}
