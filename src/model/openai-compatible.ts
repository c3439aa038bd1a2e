/**
 * OpenAI-compatible Chat Completions provider (`openai` SDK 6 with `baseURL`): GPT-5 on OpenAI,
 * Qwen 3 Coder on vLLM / llama.cpp / Ollama.
 *
 * Conversion from our Anthropic-shaped messages:
 * - system + context → ONE system message (many local chat templates, e.g. Qwen's, read only the
 *   first system message); it stays first, so automatic prefix caching still sees a stable prefix;
 * - tools → `{type:'function', function:{name, description, parameters}}`;
 * - `tool_result` blocks → `role:'tool'` messages placed right after the assistant turn (errors are
 *   prefixed `ERROR: ` since the protocol has no is_error flag); user text follows them;
 * - assistant `tool_use` → `tool_calls`; thinking blocks are Anthropic-only and are dropped.
 * Back: `tool_calls` → `tool_use` blocks. Arguments that are not valid JSON become
 * `input: {__invalid_json: raw}` (see `INVALID_TOOL_INPUT_KEY`): the tool layer answers it with an
 * error `tool_result` so the model can correct itself — never a crash.
 * No `temperature` (GPT-5 accepts only the default) and no forced `tool_choice`.
 */
import OpenAI from 'openai';
import * as OpenAISdk from 'openai';
import { ModelError } from '../errors.ts';
import { errorMapper } from './sdk-errors.ts';
import { estimateInputTokens } from './estimate.ts';
import {
  INVALID_TOOL_INPUT_KEY,
  type CompleteOptions,
  type ContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type TokenCount,
  type Usage,
} from './types.ts';

/** Maps this SDK's errors (sdk-errors.ts). */
const toModelError = errorMapper(OpenAISdk);

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface OpenAICompatibleOptions {
  /** Model id, e.g. `gpt-5`, `qwen3-coder`, `Qwen/Qwen3-Coder-480B-A35B-Instruct`. */
  model: string;
  /** API root including `/v1`; default `https://api.openai.com/v1`. Env is NOT read here. */
  baseURL?: string;
  /** Key; local servers usually ignore it (default `EMPTY`, vLLM's convention). */
  apiKey?: string;
  /** Provider name in responses/events. Default `openai-compatible`. */
  name?: string;
  fetch?: typeof fetch;
  /** SDK-level retries; default 2 standalone, 0 inside a `ModelChain`. */
  maxRetries?: number;
  /** Per-request timeout (ms). Default 600,000. */
  timeoutMs?: number;
  /** Output cap parameter: `max_completion_tokens` (OpenAI, required by GPT-5; default) or legacy `max_tokens`. */
  maxTokensParam?: 'max_completion_tokens' | 'max_tokens';
  /** Env var to name in auth errors. Default `OPENAI_API_KEY`. */
  keyEnv?: string;
}

/** A provider speaking OpenAI Chat Completions. Throws `ModelError` (see `toModelError`). */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly name: string;
  readonly model: string;
  readonly client: OpenAI;
  private readonly maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  private readonly keyEnv: string;

  constructor(opts: OpenAICompatibleOptions) {
    this.name = opts.name ?? 'openai-compatible';
    this.model = opts.model;
    this.maxTokensParam = opts.maxTokensParam ?? 'max_completion_tokens';
    this.keyEnv = opts.keyEnv ?? 'OPENAI_API_KEY';
    this.client = new OpenAI({
      apiKey: opts.apiKey || 'EMPTY',
      baseURL: opts.baseURL ?? 'https://api.openai.com/v1',
      organization: null,
      project: null,
      maxRetries: opts.maxRetries ?? 2,
      timeout: opts.timeoutMs ?? 600_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  /** The exact request body `complete()` sends (pure). */
  buildParams(req: ModelRequest): ChatParams {
    return buildChatParams(req, this.model, this.maxTokensParam);
  }

  /**
   * One call; streams text deltas to `options.onText` when given.
   * @throws ModelError; a stream that ends without `finish_reason` is `stream_interrupted` (retryable).
   */
  async complete(request: ModelRequest, signal?: AbortSignal, options: CompleteOptions = {}): Promise<ModelResponse> {
    const params = this.buildParams(request);
    const reqOpts = signal ? { signal } : undefined;
    try {
      if (!options.onText) {
        const res = await this.client.chat.completions.create(params, reqOpts);
        const choice = res.choices[0];
        if (!choice) throw new ModelError('empty_response', `${this.name} answered with no choices`, { retryable: true });
        const calls = (choice.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, args: c.function.arguments }] : []));
        return this.response(res.model, choice.message.content ?? '', calls, choice.finish_reason, res.usage);
      }
      return await this.stream(params, options.onText, reqOpts);
    } catch (err) {
      const e = toModelError(err, this.name, this.keyEnv);
      if (options.onText && !e.retryable && e.status === undefined && e.code !== 'aborted' && !signal?.aborted) {
        throw new ModelError('stream_interrupted', `${this.name} stream ended early (${e.message}); will retry the whole call`, { retryable: true, cause: err });
      }
      throw e;
    }
  }

  /** Chat Completions has no count endpoint: always the local estimate. */
  async countTokens(request: ModelRequest): Promise<TokenCount> {
    return { inputTokens: estimateInputTokens(request), source: 'estimate' };
  }

  private async stream(params: ChatParams, onText: (d: string) => void, reqOpts: { signal: AbortSignal } | undefined): Promise<ModelResponse> {
    const stream = await this.client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, reqOpts);
    let text = '';
    let model = this.model;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    const calls: { id: string; name: string; args: string }[] = [];
    for await (const chunk of stream) {
      model = chunk.model || model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta.content) {
        text += choice.delta.content;
        onText(choice.delta.content);
      }
      for (const tc of choice.delta.tool_calls ?? []) {
        const c = (calls[tc.index] ??= { id: '', name: '', args: '' });
        if (tc.id) c.id = tc.id;
        if (tc.function?.name) c.name += tc.function.name;
        if (tc.function?.arguments) c.args += tc.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    if (finish === null) throw new ModelError('stream_interrupted', `${this.name} stream ended without finish_reason; will retry the whole call`, { retryable: true });
    return this.response(model, text, calls.filter(Boolean), finish, usage);
  }

  private response(model: string, text: string, calls: { id: string; name: string; args: string }[], finish: string | null, usage: OpenAI.CompletionUsage | undefined): ModelResponse {
    const content: ContentBlock[] = [];
    if (text !== '') content.push({ type: 'text', text });
    calls.forEach((c, i) => content.push({ type: 'tool_use', id: c.id || `call_${i}`, name: c.name, input: parseArgs(c.args) }));
    return { model, provider: this.name, content, stopReason: mapFinish(finish, calls.length > 0), usage: fromOpenAIUsage(usage) };
  }
}

/** Tool arguments → input; malformed JSON (or a non-object) → `{__invalid_json: raw}`. Empty → `{}`. */
export function parseArgs(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through: the tool layer answers it as an error
  }
  return { [INVALID_TOOL_INPUT_KEY]: raw };
}

/** Converts a `ModelRequest` to a Chat Completions body (see the module comment). */
export function buildChatParams(req: ModelRequest, model: string, maxTokensParam: 'max_completion_tokens' | 'max_tokens' = 'max_completion_tokens'): ChatParams {
  const messages: ChatMessage[] = [];
  const system = [req.system, req.context].filter((s) => s !== '').join('\n\n');
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const m of req.messages) {
    if (m.role === 'assistant') {
      const text = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
      const calls = m.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
      messages.push({
        role: 'assistant',
        content: text === '' ? null : text,
        ...(calls.length > 0
          ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: argsText(c.input) } })) }
          : {}),
      });
      continue;
    }
    for (const b of m.content) {
      if (b.type === 'tool_result') messages.push({ role: 'tool', tool_call_id: b.tool_use_id, content: b.is_error ? `ERROR: ${b.content}` : b.content });
    }
    const text = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    if (text !== '') messages.push({ role: 'user', content: text });
  }
  return {
    model,
    messages,
    [maxTokensParam]: req.maxTokens,
    ...(req.tools.length > 0
      ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.input_schema } })) }
      : {}),
  };
}

/** Sends a tool call's arguments back exactly as the model produced them (raw text if it was invalid). */
function argsText(input: unknown): string {
  if (input && typeof input === 'object' && INVALID_TOOL_INPUT_KEY in input) return String((input as Record<string, unknown>)[INVALID_TOOL_INPUT_KEY]);
  return JSON.stringify(input ?? {});
}

/** OpenAI usage → `Usage`: cached prompt tokens are cache reads; the rest of the prompt is input. */
export function fromOpenAIUsage(u: OpenAI.CompletionUsage | undefined | null): Usage {
  const cached = u?.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: Math.max(0, (u?.prompt_tokens ?? 0) - cached), outputTokens: u?.completion_tokens ?? 0, cacheReadTokens: cached, cacheWriteTokens: 0 };
}

function mapFinish(f: string | null, hasCalls: boolean): StopReason {
  if (f === 'length') return 'max_tokens';
  if (f === 'content_filter') return 'refusal';
  if (f === 'tool_calls' || f === 'function_call' || hasCalls) return 'tool_use';
  return 'end_turn';
}
