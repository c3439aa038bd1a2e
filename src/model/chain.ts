/**
 * `ModelChain`: the one place that owns the retry policy. Providers in a chain are built with SDK
 * retries off (`maxRetries: 0`) so attempts do not multiply (NOTES.md: 2 SDK retries × 3 chain tries
 * = 9 requests).
 *
 * Per provider, in order: retryable `ModelError`s are retried with exponential backoff + jitter,
 * honouring `retry-after` (bounded attempts); after the last attempt, or at once on a non-retryable
 * error (auth, model not found, region), the chain falls back to the next provider. A per-provider
 * circuit breaker skips a provider after N consecutive failures for T ms, then lets one trial call
 * through (half-open).
 *
 * Not cockatiel: cockatiel 3's retry sleeps with its own `setTimeout` and its breaker reads
 * `Date.now()` (dist/RetryPolicy.js, CircuitBreakerPolicy.js), so neither clock nor sleep can be
 * injected, and its backoff cannot honour a per-error `retry-after`. Both policies fit in ~100 lines.
 */
import { ModelError } from '../errors.ts';
import { genericModelError } from './errors.ts';
import { estimateInputTokens } from './estimate.ts';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelResponse, TokenCount } from './types.ts';

/** One switch the trace should record, with its reason. `delayMs` is the wait before the next try. */
export interface ChainEvent {
  type: 'retry' | 'fallback' | 'circuit-open' | 'circuit-close';
  provider: string;
  reason: string;
  /** 1-based attempt number on `provider` that this event follows. */
  attempt: number;
  delayMs: number;
}

export interface ChainOptions {
  /** Providers in preference order (at least one). */
  providers: ModelProvider[];
  /** Tries per provider, first one included. Default 3. */
  maxAttempts?: number;
  /** First backoff delay (ms). Default 500. */
  baseDelayMs?: number;
  /** Backoff cap (ms). Default 8,000 (the SDKs' own cap). */
  maxDelayMs?: number;
  /** A `retry-after` longer than this (ms) is not waited for: fall back instead. Default 60,000. */
  maxRetryAfterMs?: number;
  /** Consecutive failures that open a provider's circuit. Default 5. */
  breakerThreshold?: number;
  /** How long an open circuit skips its provider (ms). Default 30,000. */
  breakerOpenMs?: number;
  /** Injected for tests: sleep (ms, abortable), randomness in [0,1), clock (ms since epoch). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Receives every retry/fallback/circuit change (the trace records them). */
  onEvent?: (e: ChainEvent) => void;
}

type Breaker = { failures: number; openedAt: number | undefined };

/** A `ModelProvider` that tries several providers with retries, fallback and circuit breakers. */
export class ModelChain implements ModelProvider {
  readonly name = 'chain';
  readonly model: string;
  private readonly o: Required<Omit<ChainOptions, 'onEvent'>> & Pick<ChainOptions, 'onEvent'>;
  private readonly breakers = new Map<ModelProvider, Breaker>();

  /** @throws ModelError `empty_chain` when `providers` is empty. */
  constructor(opts: ChainOptions) {
    if (opts.providers.length === 0) throw new ModelError('empty_chain', 'model chain has no providers: configure at least one in "chain"', { retryable: false });
    this.model = opts.providers[0]!.model;
    this.o = {
      maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000,
      breakerThreshold: 5, breakerOpenMs: 30_000,
      sleep: abortableSleep, random: Math.random, now: Date.now,
      ...opts,
    };
    for (const p of opts.providers) this.breakers.set(p, { failures: 0, openedAt: undefined });
  }

  /** Backoff before retry number `attempt` (1-based): base × 2^(attempt-1), capped, times [0.5, 1) jitter. */
  backoffMs(attempt: number): number {
    const exp = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp * (0.5 + this.o.random() * 0.5));
  }

  /**
   * Answers from the first provider that succeeds.
   * @throws ModelError `aborted` at once when `signal` aborts; the provider's own error when the
   *   chain has one provider; else `all_providers_failed` naming each provider's last failure.
   */
  async complete(request: ModelRequest, signal?: AbortSignal, options?: CompleteOptions): Promise<ModelResponse> {
    const failures: string[] = [];
    let last: ModelError | undefined;
    const providers = this.o.providers;
    for (let i = 0; i < providers.length; i++) {
      const p = providers[i]!;
      const next = providers[i + 1]?.name ?? 'none';
      if (!this.allow(p)) {
        failures.push(`${p.name}: circuit open`);
        this.emit({ type: 'fallback', provider: p.name, reason: `circuit open; trying ${next}`, attempt: 0, delayMs: 0 });
        continue;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await p.complete(request, signal, options);
          this.succeeded(p);
          return res;
        } catch (err) {
          // Providers already map their SDK's errors (sdk-errors.ts); what is left is generic.
          const e = genericModelError(err, p.name);
          if (e.code === 'aborted' || signal?.aborted) throw e.code === 'aborted' ? e : new ModelError('aborted', 'model call aborted', { retryable: false, cause: e });
          last = e;
          const opened = this.failed(p, e);
          const wait = e.retryAfterMs ?? this.backoffMs(attempt);
          if (!opened && e.retryable && attempt < this.o.maxAttempts && wait <= this.o.maxRetryAfterMs) {
            this.emit({ type: 'retry', provider: p.name, reason: `${e.code}: ${e.message}`, attempt, delayMs: wait });
            await this.o.sleep(wait, signal);
            continue;
          }
          failures.push(`${p.name}: ${e.code} (${e.message})`);
          const why = opened ? 'circuit opened' : !e.retryable ? 'not retryable' : wait > this.o.maxRetryAfterMs ? `retry-after ${wait} ms too long` : `${attempt} attempts spent`;
          this.emit({ type: 'fallback', provider: p.name, reason: `${e.code} (${why}); trying ${next}`, attempt, delayMs: 0 });
          break;
        }
      }
    }
    if (providers.length === 1 && last) throw last;
    throw new ModelError('all_providers_failed', `every model provider failed: ${failures.join('; ')}`, { retryable: false, cause: last });
  }

  /** Count from the first provider that can count exactly, else the local estimate. Never throws but on abort. */
  async countTokens(request: ModelRequest, signal?: AbortSignal): Promise<TokenCount> {
    for (const p of this.o.providers) {
      if (!p.countTokens || !this.allow(p)) continue;
      const c = await p.countTokens(request, signal);
      if (c.source === 'api') return c;
    }
    return { inputTokens: estimateInputTokens(request), source: 'estimate' };
  }

  /** Whether `p` may be called now; an open circuit past its time lets one trial call through. */
  private allow(p: ModelProvider): boolean {
    const b = this.breakers.get(p)!;
    return b.openedAt === undefined || this.o.now() - b.openedAt >= this.o.breakerOpenMs;
  }

  private succeeded(p: ModelProvider): void {
    const b = this.breakers.get(p)!;
    if (b.openedAt !== undefined) this.emit({ type: 'circuit-close', provider: p.name, reason: 'trial call succeeded', attempt: 0, delayMs: 0 });
    b.failures = 0;
    b.openedAt = undefined;
  }

  /** Records a failure; returns true when it opens (or re-opens) the circuit. */
  private failed(p: ModelProvider, e: ModelError): boolean {
    const b = this.breakers.get(p)!;
    b.failures++;
    const halfOpen = b.openedAt !== undefined;
    if (halfOpen || b.failures >= this.o.breakerThreshold) {
      b.openedAt = this.o.now();
      this.emit({ type: 'circuit-open', provider: p.name, reason: `${b.failures} consecutive failures, last ${e.code}; skipped for ${this.o.breakerOpenMs} ms`, attempt: b.failures, delayMs: this.o.breakerOpenMs });
      return true;
    }
    return false;
  }

  private emit(e: ChainEvent): void {
    this.o.onEvent?.(e);
  }
}

/** Default sleep: resolves after `ms`, rejects with ModelError `aborted` when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ModelError('aborted', 'model call aborted', { retryable: false }));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ModelError('aborted', 'model call aborted', { retryable: false }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
