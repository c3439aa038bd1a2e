/**
 * zod schemas for what crosses a file boundary in the model layer: transcript lines
 * (`ModelResponse` per line, see src/machine/protocol.md). Strict objects, so a misspelt key
 * (`stop_reason` for `stopReason`) is reported instead of silently dropped.
 */
import { z } from 'zod';

const textBlock = z.strictObject({ type: z.literal('text'), text: z.string() });
const toolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});
const toolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.string(),
  is_error: z.boolean().optional(),
});
const thinkingBlock = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

/** One content block in the Anthropic wire shape. */
export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);

const tokens = z.number().int().nonnegative();

/** `Usage` in tokens. */
export const usageSchema = z.strictObject({
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
});

export const stopReasonSchema = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'pause_turn']);

/** One transcript line. `usage` may be omitted (the replay provider then estimates it). */
export const transcriptLineSchema = z.strictObject({
  model: z.string().min(1),
  provider: z.string().min(1).optional(),
  content: z.array(contentBlockSchema),
  stopReason: stopReasonSchema,
  usage: usageSchema.optional(),
});

export type TranscriptLine = z.infer<typeof transcriptLineSchema>;
