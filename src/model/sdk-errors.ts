/**
 * Every SDK error (Anthropic or OpenAI-compatible) becomes a `ModelError` with a stable code,
 * `retryable`, the HTTP status and the wait the server asked for. Imported by the providers only:
 * it loads both SDKs (≈ 0.3 s), which a replay run or the chain never needs (see errors.ts).
 *
 * Retry semantics follow both SDKs' own policy (sdk source, 2026): 408, 409, 429 and 5xx (incl. 529
 * overloaded) and connection failures are transient; an `x-should-retry: true|false` header overrides.
 */
import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAI from 'openai';
import { ModelError } from '../errors.ts';
import { causeMsg, genericModelError, modelErrorFromStatus, msg, type HeaderBag } from './errors.ts';

/**
 * Maps any thrown value from a provider call to a `ModelError`: `aborted`, `timeout` and
 * `connection` (retryable) from the SDKs' own classes, HTTP errors by status (errors.ts), the rest
 * as `genericModelError` does.
 * @param provider provider name for the message (`anthropic`, `openai-compatible`).
 * @param keyHint env var to mention on auth failures (e.g. `ANTHROPIC_API_KEY`).
 */
export function toModelError(err: unknown, provider: string, keyHint = 'the API key'): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof Anthropic.APIUserAbortError || err instanceof OpenAI.APIUserAbortError) {
    return new ModelError('aborted', `${provider} call aborted`, { retryable: false, cause: err });
  }
  if (err instanceof Anthropic.APIConnectionTimeoutError || err instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError('timeout', `${provider} did not answer in time (${msg(err)}); will retry`, { retryable: true, cause: err });
  }
  if (err instanceof Anthropic.APIConnectionError || err instanceof OpenAI.APIConnectionError) {
    return new ModelError('connection', `${provider} connection failed: ${msg(err)}${causeMsg(err)}`, { retryable: true, cause: err });
  }
  if (err instanceof Anthropic.APIError || err instanceof OpenAI.APIError) {
    return modelErrorFromStatus(err.status, err.headers as HeaderBag, err, provider, keyHint);
  }
  return genericModelError(err, provider);
}
