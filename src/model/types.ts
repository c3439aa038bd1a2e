/**
 * The model layer's contract. Content blocks use the Anthropic Messages wire shape (snake_case
 * `tool_use` / `tool_result`) because it is the richest of the providers; other providers normalise
 * into it. A recorded transcript line is a `ModelResponse` serialised as JSON, so a recording from
 * any provider replays through `ReplayProvider`.
 */

/** A JSON Schema object describing a tool's input (subset used by providers). */
export type JsonSchema = {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
};

/** A tool the model may call. `description` is loaded from a `.md` file beside the tool's code. */
export interface ToolSpec {
  name: string;
  description: string;
  input_schema: JsonSchema;
}

export type TextBlock = { type: 'text'; text: string };
export type ToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
export type ToolResultBlock = {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
};
/** Sonnet 5.x returns thinking blocks that must be sent back unchanged in the next tool-use turn. */
export type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string };
export type RedactedThinkingBlock = { type: 'redacted_thinking'; data: string };

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | RedactedThinkingBlock;

export interface Message {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** Token usage of one call, in tokens. Cache fields are 0 when the provider reports none. */
export interface Usage {
  /** Uncached input tokens billed at the full input price. */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the prompt cache (billed ~0.1× input on Anthropic). */
  cacheReadTokens: number;
  /** Input tokens written to the prompt cache (billed 1.25× input for the 5-minute TTL). */
  cacheWriteTokens: number;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

/** All input tokens of a call, cached or not. */
export function totalInput(u: Usage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

/**
 * One request. The prompt is laid out stable-prefix first so the prompt cache hits:
 * tools → system → context (repo map; stable for the whole run) → messages (grow each turn).
 */
export interface ModelRequest {
  system: string;
  /** Stable per-run context (repo map, task); sent as a cached prefix. */
  context: string;
  messages: Message[];
  tools: ToolSpec[];
  /** Upper bound on output tokens for this call. */
  maxTokens: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';

export interface ModelResponse {
  /** The model id that actually answered (e.g. `claude-sonnet-5-5`). */
  model: string;
  /** Provider name that answered (`anthropic`, `openai-compatible`, `replay`). */
  provider: string;
  content: ContentBlock[];
  stopReason: StopReason;
  usage: Usage;
}

/** Per-call options (additive; providers that cannot stream ignore `onText`). */
export interface CompleteOptions {
  /**
   * Streams text deltas as they arrive. A call that is retried (e.g. a stream cut mid-way) streams
   * again from the start: the chain emits a `retry` event first, so a UI should drop the partial text.
   */
  onText?: (delta: string) => void;
}

/** Result of a token pre-flight count: exact when the provider counted, else the local estimate. */
export interface TokenCount {
  inputTokens: number;
  /** `api` = the provider's count endpoint; `estimate` = ≈ 4 chars/token locally. */
  source: 'api' | 'estimate';
}

/** A model behind one interface. Implementations throw `ModelError` on failure. */
export interface ModelProvider {
  /** Provider name as used by `--provider`. */
  readonly name: string;
  /** Model id requests go to. */
  readonly model: string;
  complete(request: ModelRequest, signal?: AbortSignal, options?: CompleteOptions): Promise<ModelResponse>;
  /** Input tokens `request` would use (optional; callers fall back to `estimateInputTokens`). */
  countTokens?(request: ModelRequest, signal?: AbortSignal): Promise<TokenCount>;
}

/**
 * Key of the input a provider puts in a `tool_use` block whose arguments were not valid JSON:
 * `{ [INVALID_TOOL_INPUT_KEY]: rawArguments }`. The tool layer must answer such a call with an
 * error `tool_result` (never crash); `invalidToolInput()` detects it.
 */
export const INVALID_TOOL_INPUT_KEY = '__invalid_json';

/** The raw argument text when `input` marks malformed tool JSON, else `undefined`. */
export function invalidToolInput(input: unknown): string | undefined {
  if (input && typeof input === 'object' && INVALID_TOOL_INPUT_KEY in input) {
    const raw = (input as Record<string, unknown>)[INVALID_TOOL_INPUT_KEY];
    return typeof raw === 'string' ? raw : String(raw);
  }
  return undefined;
}

export function toolUses(content: ContentBlock[]): ToolUseBlock[] {
  return content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
}

export function textOf(content: ContentBlock[]): string {
  return content
    .filter((b): b is TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}
