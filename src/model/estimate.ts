/**
 * Offline token estimates and a prompt-cache simulator. Used by `ReplayProvider` (transcripts
 * without `usage`) and by budget pre-flight when no provider can count tokens for us.
 *
 * Estimates are ≈ 4 characters per token over a canonical serialisation of the request — a
 * deliberately simple rule (Anthropic's own guidance for English text, docs 2025); real tokenisers
 * differ by ±30 % on code.
 */
import { createHash } from 'node:crypto';
import type { ContentBlock, ModelRequest, Usage } from './types.ts';

/** Characters per token used by every estimate here. */
export const CHARS_PER_TOKEN = 4;

/**
 * Smallest prefix (tokens) the simulated cache stores. Anthropic documents 1,024 tokens for
 * Sonnet/Opus models (prompt-caching docs, 2025); shorter prefixes are silently not cached.
 */
export const DEFAULT_MIN_CACHEABLE_TOKENS = 1024;

/** Default prompt-cache lifetime (ms): Anthropic's 5-minute TTL, refreshed on every hit. */
export const DEFAULT_CACHE_TTL_MS = 5 * 60 * 1000;

/** Tokens in `text` (≈ chars / 4, rounded up; 0 for an empty string). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** JSON with object keys sorted, so equal values always serialise to equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/**
 * The request as ordered text segments, in the order providers send them:
 * tools, system, context (the stable prefix), then one segment per message.
 */
export function requestSegments(req: ModelRequest): { stable: string[]; messages: string[] } {
  return {
    stable: [canonicalJson(req.tools), req.system, req.context],
    messages: req.messages.map((m) => `${m.role}:${canonicalJson(m.content)}`),
  };
}

/** Estimated input tokens of a whole request (tools + system + context + messages). */
export function estimateInputTokens(req: ModelRequest): number {
  const { stable, messages } = requestSegments(req);
  return estimateTokens([...stable, ...messages].join(''));
}

/** Estimated output tokens of a response's content (text, thinking and tool-call JSON). */
export function estimateOutputTokens(content: ContentBlock[]): number {
  let chars = 0;
  for (const b of content) {
    if (b.type === 'text') chars += b.text.length;
    else if (b.type === 'thinking') chars += b.thinking.length;
    else if (b.type === 'tool_use') chars += b.name.length + canonicalJson(b.input ?? {}).length;
    else if (b.type === 'tool_result') chars += b.content.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/**
 * Pre-flight figures for the budget: `{inputTokens, maxOutputTokens}` (tokens). The worst case of
 * a call is all input uncached plus `maxTokens` of output.
 */
export function preflightEstimate(req: ModelRequest): { inputTokens: number; maxOutputTokens: number } {
  return { inputTokens: estimateInputTokens(req), maxOutputTokens: req.maxTokens };
}

export interface CacheSimulatorOptions {
  /** Prefixes shorter than this (tokens) are not cached. Default 1,024. */
  minCacheableTokens?: number;
  /** Entry lifetime (ms), refreshed on each hit. Default 5 minutes. */
  ttlMs?: number;
  /** Clock (ms since epoch); injected so tests control expiry. */
  now?: () => number;
}

/**
 * Simulates Anthropic prompt caching for the layout `AnthropicProvider` sends: one breakpoint at
 * the end of the stable prefix (tools+system+context) and one at the end of the last message.
 *
 * - cache read  = the longest segment-boundary prefix byte-identical to a prefix an earlier request
 *   of this simulator wrote (and not expired) — the API's look-back finds such hits too;
 * - cache write = tokens from there up to the last breakpoint, when it is long enough to cache;
 * - input       = the rest (0 with this layout unless a prefix is too short to cache).
 *
 * Only written prefixes are ever read, so savings are never overstated.
 */
export class PromptCacheSimulator {
  private readonly entries = new Map<string, number>(); // sha256(prefix) → expiresAt (ms)
  private readonly minTokens: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: CacheSimulatorOptions = {}) {
    this.minTokens = opts.minCacheableTokens ?? DEFAULT_MIN_CACHEABLE_TOKENS;
    this.ttlMs = opts.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  /** Usage of `req` answered by `content`, updating the simulated cache. */
  usageFor(req: ModelRequest, content: ContentBlock[]): Usage {
    const { stable, messages } = requestSegments(req);
    const segments = [...stable, ...messages];
    const now = this.now();

    // Cumulative prefix after each segment; boundaries are where the API can find a hit.
    const prefixes: string[] = [];
    let acc = '';
    for (const s of segments) prefixes.push((acc += s));
    const total = estimateTokens(acc);

    let read = 0;
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const key = hash(prefixes[i]!);
      const expires = this.entries.get(key);
      if (expires !== undefined && expires > now) {
        read = estimateTokens(prefixes[i]!);
        this.entries.set(key, now + this.ttlMs); // a hit refreshes the TTL
        break;
      }
    }

    const breakpoints = [stable.length - 1, segments.length - 1];
    let writtenTo = read;
    for (const bp of breakpoints) {
      const tokens = estimateTokens(prefixes[bp]!);
      if (tokens < this.minTokens || tokens <= read) continue;
      this.entries.set(hash(prefixes[bp]!), now + this.ttlMs);
      writtenTo = Math.max(writtenTo, tokens);
    }
    const write = writtenTo - read;
    return {
      inputTokens: total - read - write,
      outputTokens: estimateOutputTokens(content),
      cacheReadTokens: read,
      cacheWriteTokens: write,
    };
  }
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
