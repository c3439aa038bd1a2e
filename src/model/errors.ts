/**
 * What a provider failure means, without the SDKs: `ModelError` from an HTTP status and headers,
 * and from aborts and unknown throws. `sdk-errors.ts` adds the SDKs' error classes on top and is
 * imported only by the providers, so the chain (on every run's start-up path) loads no SDK.
 * Together they are the ONE place that decides: the chain branches on `retryable`.
 *
 * Retry semantics follow both SDKs' own policy (sdk source, 2026): 408, 409, 429 and 5xx (incl. 529
 * overloaded) and connection failures are transient; an `x-should-retry: true|false` header overrides.
 */
import { ModelError } from '../errors.ts';

/** Headers-like (the SDKs use fetch `Headers`). */
export type HeaderBag = { get(name: string): string | null } | undefined;

/**
 * Milliseconds the server asked us to wait, from `retry-after-ms` (ms, float) or `retry-after`
 * (seconds, or an HTTP date). `undefined` when absent or unparsable; never negative.
 *
 * @param nowMs clock for the HTTP-date form (ms since epoch).
 */
export function retryAfterMsFrom(headers: HeaderBag, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const REGION_RE = /region|not available in your|unsupported[_ ]country|not supported in your/i;

/**
 * A `ModelError` for what a provider threw that is not an SDK error: a `ModelError` as it is, an
 * abort as `aborted`, anything else as `unknown` (not retryable).
 * @param provider provider name for the message (`anthropic`, `openai-compatible`).
 */
export function genericModelError(err: unknown, provider: string): ModelError {
  if (err instanceof ModelError) return err;
  if (isAbort(err)) return new ModelError('aborted', `${provider} call aborted`, { retryable: false, cause: err });
  return new ModelError('unknown', `${provider} call failed: ${msg(err)}`, { retryable: false, cause: err });
}

/**
 * A `ModelError` from an HTTP status and its headers (`retry-after(-ms)`, `x-should-retry`).
 *
 * Codes: `rate_limited` (429), `overloaded` (529), `server_error` (5xx), `request_timeout` (408),
 * `conflict` (409) — retryable; `auth_failed` (401), `permission_denied` (403), `model_not_found`
 * (404), `region_unavailable` (400/403 naming a region), `request_too_large` (413), `billing` (402),
 * `bad_request` (other 4xx) — not retryable; no status → `connection`, retryable.
 * @param keyHint env var to mention on auth failures (e.g. `ANTHROPIC_API_KEY`).
 */
export function modelErrorFromStatus(status: number | undefined, headers: HeaderBag, err: Error, provider: string, keyHint: string): ModelError {
  return fromStatus(status, headers, err, provider, keyHint);
}

function fromStatus(status: number | undefined, headers: HeaderBag, err: Error, provider: string, keyHint: string): ModelError {
  const retryAfterMs = retryAfterMsFrom(headers);
  const detail = msg(err);
  const base = { status, retryAfterMs, cause: err };
  const override = headers?.get('x-should-retry');
  const make = (code: string, text: string, retryable: boolean) =>
    new ModelError(code, text, { ...base, retryable: override === 'true' ? true : override === 'false' ? false : retryable });

  if (status === undefined) return make('connection', `${provider} failed without a status: ${detail}`, true);
  if (status === 429) return make('rate_limited', `${provider} rate limit (429): ${detail}`, true);
  if (status === 529) return make('overloaded', `${provider} is overloaded (529): ${detail}`, true);
  if (status === 408) return make('request_timeout', `${provider} request timeout (408): ${detail}`, true);
  if (status === 409) return make('conflict', `${provider} conflict (409): ${detail}`, true);
  if (status >= 500) return make('server_error', `${provider} server error (${status}): ${detail}`, true);
  if ((status === 400 || status === 403) && REGION_RE.test(detail)) {
    return make('region_unavailable', `${provider} is not available here (${status}): ${detail}; use another provider in the chain`, false);
  }
  if (status === 401) return make('auth_failed', `${provider} rejected the credentials (401): check ${keyHint}`, false);
  if (status === 403) return make('permission_denied', `${provider} denied access (403): ${detail}; check ${keyHint} has access to this model`, false);
  if (status === 404) return make('model_not_found', `${provider} does not know this model or endpoint (404): ${detail}; check the model id and baseURL`, false);
  if (status === 402) return make('billing', `${provider} refused for billing reasons (402): ${detail}`, false);
  if (status === 413) return make('request_too_large', `${provider} request too large (413): ${detail}; shrink the context`, false);
  return make('bad_request', `${provider} rejected the request (${status}): ${detail}`, false);
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function causeMsg(err: Error): string {
  return err.cause instanceof Error ? ` (${err.cause.message})` : '';
}
