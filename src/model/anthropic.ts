/**
 * Anthropic Messages API provider (`@anthropic-ai/sdk` 1.14, `messages.create` with tools).
 *
 * Prompt layout (stable prefix first so the prompt cache hits; max 4 `cache_control` breakpoints):
 *   1. tools            — breakpoint on the last tool
 *   2. system[0] system — breakpoint
 *   3. system[1] context (repo map + task) — breakpoint. Context goes in a SECOND SYSTEM BLOCK, not
 *      the first user message: it keeps the whole stable prefix ahead of `messages`, so the first
 *      user turn is free to change (plan → edit → repair) without invalidating it, and it needs no
 *      merging with the conversation's first user message to keep roles alternating.
 *   4. the last cacheable block of the last message — breakpoint, so each turn reads the previous
 *      turn's prefix from cache and a growing conversation costs 0.1× on what it already sent.
 *
 * Sonnet 5.x rules (NOTES.md, platform docs 2026): no `temperature`/`top_p`/`top_k` (non-defaults
 * return 400) and no `tool_choice` naming a tool (5.5 errors) — we send neither. Thinking blocks
 * come back in `content` and are sent back unchanged because we keep them in the conversation.
 */
import Anthropic from '@anthropic-ai/sdk';
import * as AnthropicSdk from '@anthropic-ai/sdk';
import { ConfigError, ModelError } from '../errors.ts';
import { estimateInputTokens } from './estimate.ts';
import { errorMapper } from './sdk-errors.ts';
import type { CompleteOptions, ContentBlock, Message, ModelProvider, TokenCount, ModelRequest, ModelResponse, StopReason, Usage } from './types.ts';

/** Maps this SDK's errors (sdk-errors.ts). */
const toModelError = errorMapper(AnthropicSdk);

/** Default model id (current Sonnet, platform docs 2026). Never a deprecated id. */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5-5';

export interface AnthropicProviderOptions {
  apiKey: string;
  /** API root; default `https://api.anthropic.com`. Env `ANTHROPIC_BASE_URL` is NOT read here. */
  baseURL?: string;
  /** Model id; default `claude-sonnet-5-5`. */
  model?: string;
  /** fetch implementation (tests, proxies). */
  fetch?: typeof fetch;
  /**
   * SDK-level retries. Default 2 for a standalone provider; `ModelChain` owns the retry policy and
   * constructs providers with 0, because two layers multiply attempts (NOTES.md: 2 × 3 = 9).
   */
  maxRetries?: number;
  /** Per-request timeout (ms). Default 600,000 (the SDK's own 10-minute non-streaming default). */
  timeoutMs?: number;
  /** Prompt-cache lifetime for every breakpoint: `5m` (writes 1.25× input) or `1h` (2×). Default `5m`. */
  cacheTtl?: '5m' | '1h';
}

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type BlockParam = Anthropic.Messages.ContentBlockParam;

/** A provider speaking the Anthropic Messages API. Throws `ModelError` (see `toModelError`). */
export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly model: string;
  /** The SDK client; exposed for batch and token-count helpers. */
  readonly client: Anthropic;
  private readonly cacheTtl: '5m' | '1h';

  constructor(opts: AnthropicProviderOptions) {
    if (!opts.apiKey) throw missingKey();
    this.model = opts.model ?? ANTHROPIC_DEFAULT_MODEL;
    this.cacheTtl = opts.cacheTtl ?? '5m';
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      // Passing baseURL explicitly keeps the SDK from reading ANTHROPIC_BASE_URL behind our back.
      baseURL: opts.baseURL ?? 'https://api.anthropic.com',
      maxRetries: opts.maxRetries ?? 2,
      timeout: opts.timeoutMs ?? 600_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  /** The exact request body `complete()` sends (pure; exported for tests and batch submission). */
  buildParams(req: ModelRequest): Params {
    return buildAnthropicParams(req, this.model, this.cacheTtl);
  }

  /**
   * One call. With `options.onText` the call streams (`messages.stream`) and text deltas are passed
   * on as they arrive; the result is the same complete `ModelResponse` either way.
   * @throws ModelError (see `toModelError`); a stream cut mid-way is `stream_interrupted`, retryable.
   */
  async complete(request: ModelRequest, signal?: AbortSignal, options: CompleteOptions = {}): Promise<ModelResponse> {
    const params = this.buildParams(request);
    const reqOpts = signal ? { signal } : undefined;
    try {
      if (!options.onText) return fromAnthropicMessage(await this.client.messages.create(params, reqOpts), this.name);
      const stream = this.client.messages.stream(params, reqOpts);
      const onText = options.onText;
      stream.on('text', (delta) => onText(delta));
      return fromAnthropicMessage(await stream.finalMessage(), this.name);
    } catch (err) {
      throw streamAware(err, Boolean(options.onText), signal, this.name);
    }
  }

  /**
   * Input tokens of `request` from `POST /v1/messages/count_tokens`; when the endpoint is not
   * reachable or refuses, the local estimate (≈ 4 chars/token). Never throws except on abort.
   */
  async countTokens(request: ModelRequest, signal?: AbortSignal): Promise<TokenCount> {
    const { model, messages, system, tools } = this.buildParams(request);
    try {
      const res = await this.client.messages.countTokens(
        { model, messages, ...(system ? { system } : {}), ...(tools ? { tools } : {}) },
        signal ? { signal } : undefined,
      );
      return { inputTokens: res.input_tokens, source: 'api' };
    } catch (err) {
      if (signal?.aborted) throw toModelError(err, this.name);
      return { inputTokens: estimateInputTokens(request), source: 'estimate' };
    }
  }
}

/**
 * Errors while streaming: HTTP errors map as usual; anything else that is not an abort (the SDK's
 * "stream ended without producing a Message", a socket reset) means the stream was cut → retryable,
 * and safe to retry as a whole call because tools run only after a complete response.
 */
function streamAware(err: unknown, streaming: boolean, signal: AbortSignal | undefined, provider: string): ModelError {
  const mapped = toModelError(err, provider, 'ANTHROPIC_API_KEY');
  if (!streaming || mapped.retryable || mapped.status !== undefined || mapped.code === 'aborted' || signal?.aborted) return mapped;
  return new ModelError('stream_interrupted', `${provider} stream ended early (${mapped.message}); will retry the whole call`, { retryable: true, cause: err });
}

/**
 * Builds a Messages API body from a `ModelRequest`: tools → system → context → messages with four
 * `cache_control` breakpoints (see the module comment). Empty system/context blocks are left out
 * (the API rejects empty text blocks). No sampling parameters, no `tool_choice`.
 */
export function buildAnthropicParams(req: ModelRequest, model: string, ttl: '5m' | '1h' = '5m'): Params {
  const cc = ttl === '5m' ? ({ type: 'ephemeral' } as const) : ({ type: 'ephemeral', ttl } as const);
  const tools: Anthropic.Messages.Tool[] = req.tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: t.input_schema as Anthropic.Messages.Tool.InputSchema,
    ...(i === req.tools.length - 1 ? { cache_control: cc } : {}),
  }));
  const system: Anthropic.Messages.TextBlockParam[] = [];
  if (req.system !== '') system.push({ type: 'text', text: req.system, cache_control: cc });
  if (req.context !== '') system.push({ type: 'text', text: req.context, cache_control: cc });

  const messages: Anthropic.Messages.MessageParam[] = req.messages.map((m) => ({
    role: m.role,
    content: m.content.map(toBlockParam),
  }));
  markLastCacheable(messages, cc);

  return {
    model,
    max_tokens: req.maxTokens,
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
  };
}

/** Puts a breakpoint on the last block of the last message that may carry one (not thinking). */
function markLastCacheable(messages: Anthropic.Messages.MessageParam[], cc: Anthropic.Messages.CacheControlEphemeral): void {
  const last = messages[messages.length - 1];
  if (!last || typeof last.content === 'string') return;
  for (let i = last.content.length - 1; i >= 0; i--) {
    const b = last.content[i]!;
    if (b.type === 'text' || b.type === 'tool_use' || b.type === 'tool_result') {
      last.content[i] = { ...b, cache_control: cc } as BlockParam;
      return;
    }
  }
}

function toBlockParam(b: ContentBlock): BlockParam {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text };
    case 'tool_use':
      return { type: 'tool_use', id: b.id, name: b.name, input: b.input ?? {} };
    case 'tool_result':
      return { type: 'tool_result', tool_use_id: b.tool_use_id, content: b.content, ...(b.is_error ? { is_error: true } : {}) };
    case 'thinking':
      return { type: 'thinking', thinking: b.thinking, signature: b.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: b.data };
  }
}

/** Maps an SDK `Message` to our `ModelResponse`; server-side tool blocks we do not use are dropped. */
export function fromAnthropicMessage(msg: Anthropic.Messages.Message, provider = 'anthropic'): ModelResponse {
  const content: ContentBlock[] = [];
  for (const b of msg.content) {
    if (b.type === 'text') content.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') content.push({ type: 'tool_use', id: b.id, name: b.name, input: b.input });
    else if (b.type === 'thinking') content.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
    else if (b.type === 'redacted_thinking') content.push({ type: 'redacted_thinking', data: b.data });
  }
  return { model: msg.model, provider, content, stopReason: mapStopReason(msg.stop_reason), usage: fromAnthropicUsage(msg.usage) };
}

/** Anthropic usage → `Usage` (tokens; null cache fields become 0). */
export function fromAnthropicUsage(u: Partial<Anthropic.Messages.Usage> | null | undefined): Usage {
  return {
    inputTokens: u?.input_tokens ?? 0,
    outputTokens: u?.output_tokens ?? 0,
    cacheReadTokens: u?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u?.cache_creation_input_tokens ?? 0,
  };
}

function mapStopReason(r: Anthropic.Messages.StopReason | null): StopReason {
  if (r === 'model_context_window_exceeded') return 'max_tokens';
  return r ?? 'end_turn';
}

function missingKey(): ConfigError {
  return new ConfigError(
    'missing_api_key',
    'ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-… or run with --provider replay --transcript <file>',
  );
}

/**
 * Builds a provider from the environment: `ANTHROPIC_API_KEY` (required), `ANTHROPIC_BASE_URL`
 * (optional). `overrides` win over env.
 *
 * @throws ConfigError `missing_api_key` (one line naming the variable and the offline alternative).
 */
export function createAnthropicFromEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<AnthropicProviderOptions> = {},
): AnthropicProvider {
  const apiKey = overrides.apiKey ?? env['ANTHROPIC_API_KEY']?.trim();
  if (!apiKey) throw missingKey();
  const baseURL = overrides.baseURL ?? (env['ANTHROPIC_BASE_URL']?.trim() || undefined);
  return new AnthropicProvider({ ...overrides, apiKey, ...(baseURL ? { baseURL } : {}) });
}

/** Re-exported for callers that build conversations. */
export type { Message };
