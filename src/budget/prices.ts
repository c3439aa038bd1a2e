/**
 * Model prices, one row per model id, in USD per million tokens (USD/MTok), each row citing its
 * source and date. Config may override or add rows (`prices` in patchloop.config.json).
 *
 * Cost of one call = (input × in + output × out + cacheRead × read + cacheWrite × write[ttl]) / 1e6,
 * times the batch multiplier when sent through a batch API (Anthropic: batch discounts stack with
 * caching, platform docs 2026).
 */
import { ConfigError } from '../errors.ts';
import type { Usage } from '../model/types.ts';

export interface ModelPrice {
  /** USD/MTok of uncached input. */
  inputPerMTok: number;
  /** USD/MTok of output. */
  outputPerMTok: number;
  /** USD/MTok written to a 5-minute cache entry. */
  cacheWrite5mPerMTok: number;
  /** USD/MTok written to a 1-hour cache entry. */
  cacheWrite1hPerMTok: number;
  /** USD/MTok read from the cache. */
  cacheReadPerMTok: number;
  /** Multiplier applied to the whole call in a batch API (0.5 = 50 % off); 1 = no discount known. */
  batchMultiplier: number;
  /** Where the figures come from, and when they were checked. */
  source: string;
}

const ANTHROPIC_SRC = 'Anthropic platform docs, pricing + prompt caching (via /work/shared/NOTES.md), checked 2026-11';

/** Anthropic row from input/output: cache write 1.25× (5m) / 2× (1h), read 0.1×, batch 50 %. */
function anthropic(input: number, output: number): ModelPrice {
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    cacheWrite5mPerMTok: input * 1.25,
    cacheWrite1hPerMTok: input * 2,
    cacheReadPerMTok: input * 0.1,
    batchMultiplier: 0.5,
    source: ANTHROPIC_SRC,
  };
}

/** The price table. Keys are model ids as sent to the provider. */
export const PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'claude-sonnet-5-5': anthropic(2, 10), // $2/$10, write $2.50 (5m) / $4 (1h), read $0.20
  'claude-sonnet-5': anthropic(2, 10), // legacy, same price
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-opus-5-5': anthropic(4, 20),
  'gpt-5': {
    inputPerMTok: 1.25,
    outputPerMTok: 10,
    // OpenAI caches automatically with no write surcharge; cached input $0.125 (openai.com/api/pricing, 2025-08).
    cacheWrite5mPerMTok: 1.25,
    cacheWrite1hPerMTok: 1.25,
    cacheReadPerMTok: 0.125,
    batchMultiplier: 0.5, // OpenAI Batch API 50 % off (openai.com/api/pricing, 2025-08)
    source: 'OpenAI API pricing (via /work/shared/NOTES.md), 2025-08',
  },
  'qwen3-coder': {
    // Hosted Qwen3-Coder-480B as DashScope qwen3-coder-plus; hosts range $0.20/$0.80 to $2/$2.
    inputPerMTok: 1,
    outputPerMTok: 5,
    // No cache or batch discount assumed (not verified for this host): conservative.
    cacheWrite5mPerMTok: 1,
    cacheWrite1hPerMTok: 1,
    cacheReadPerMTok: 1,
    batchMultiplier: 1,
    source: 'Alibaba Cloud DashScope qwen3-coder-plus pricing (via /work/shared/NOTES.md), 2025-26',
  },
});

/** Aliases: ids that bill as another row. `replay` is priced as Sonnet 5.5 so demo figures are realistic. */
export const PRICE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  replay: 'claude-sonnet-5-5',
  'qwen3-coder-plus': 'qwen3-coder',
  'qwen3-coder-480b-a35b-instruct': 'qwen3-coder',
  'Qwen/Qwen3-Coder-480B-A35B-Instruct': 'qwen3-coder',
});

/** Config overrides: whole or partial rows by model id (new ids need at least input and output). */
export type PriceOverrides = Record<string, Partial<Omit<ModelPrice, 'source'>> & { source?: string }>;

/**
 * The price row for `model`: exact id, then alias, then the id without a date suffix
 * (`claude-sonnet-5-5-20260101`) or an Ollama tag (`qwen3-coder:480b`). Overrides win.
 * Returns `undefined` for an unknown model.
 */
export function resolvePrice(model: string, overrides: PriceOverrides = {}): ModelPrice | undefined {
  const candidates = [model, PRICE_ALIASES[model], model.replace(/-\d{8}$/, ''), model.replace(/:[\w.-]+$/, '')];
  for (const id of candidates) {
    if (id === undefined) continue;
    const base = PRICES[id] ?? (PRICE_ALIASES[id] ? PRICES[PRICE_ALIASES[id]!] : undefined);
    const over = overrides[id] ?? overrides[model];
    if (base) return over ? { ...base, ...over, source: over.source ?? `${base.source}; overridden by config` } : base;
    if (over && over.inputPerMTok !== undefined && over.outputPerMTok !== undefined) {
      const input = over.inputPerMTok;
      return {
        cacheWrite5mPerMTok: input,
        cacheWrite1hPerMTok: input,
        cacheReadPerMTok: input,
        batchMultiplier: 1,
        ...over,
        inputPerMTok: input,
        outputPerMTok: over.outputPerMTok,
        source: over.source ?? 'config override',
      };
    }
  }
  return undefined;
}

export interface CostOptions {
  /** Sent through a batch API (applies `batchMultiplier`). */
  batch?: boolean;
  /** TTL the cache writes used. Default `5m`. */
  cacheTtl?: '5m' | '1h';
  /** Config price overrides. */
  prices?: PriceOverrides;
}

/** Cost of one call (USD) given a known price row. Pure. */
export function costWithPrice(price: ModelPrice, usage: Usage, opts: Omit<CostOptions, 'prices'> = {}): number {
  const write = opts.cacheTtl === '1h' ? price.cacheWrite1hPerMTok : price.cacheWrite5mPerMTok;
  const usd =
    (usage.inputTokens * price.inputPerMTok +
      usage.outputTokens * price.outputPerMTok +
      usage.cacheReadTokens * price.cacheReadPerMTok +
      usage.cacheWriteTokens * write) /
    1e6;
  return opts.batch ? usd * price.batchMultiplier : usd;
}

/**
 * Cost of one call in USD.
 * @throws ConfigError `unknown_model_price` naming the model and the fix (add a `prices` entry).
 */
export function costUsd(model: string, usage: Usage, opts: CostOptions = {}): number {
  const price = resolvePrice(model, opts.prices);
  if (!price) {
    throw new ConfigError(
      'unknown_model_price',
      `no price for model "${model}": add "prices": {"${model}": {"inputPerMTok": …, "outputPerMTok": …}} to patchloop.config.json (known: ${Object.keys(PRICES).join(', ')})`,
    );
  }
  return costWithPrice(price, usage, opts);
}

/** Like `costUsd` but never throws: `{usd: 0, priced: false}` for an unknown model, so reports can say "unpriced". */
export function tryCostUsd(model: string, usage: Usage, opts: CostOptions = {}): { usd: number; priced: boolean } {
  const price = resolvePrice(model, opts.prices);
  return price ? { usd: costWithPrice(price, usage, opts), priced: true } : { usd: 0, priced: false };
}

/** Upper-bound USD per token for pre-flight (the dearer of input and output), or 0 when unpriced. */
export function maxUsdPerToken(model: string, prices?: PriceOverrides): number {
  const p = resolvePrice(model, prices);
  return p ? Math.max(p.inputPerMTok, p.outputPerMTok, p.cacheWrite1hPerMTok) / 1e6 : 0;
}
