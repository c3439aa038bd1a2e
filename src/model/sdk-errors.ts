/**
 * Every SDK error (Anthropic or OpenAI-compatible) becomes a `ModelError` with a stable code,
 * `retryable`, the HTTP status and the wait the server asked for. Each provider maps the errors of
 * its own SDK (`errorMapper(itsSdk)`): an Anthropic run never loads the OpenAI SDK (≈ 70 ms of
 * start-up CPU on 2 cores, 2026-12-03), and neither SDK loads for a replay run or the chain (see errors.ts).
 *
 * Retry semantics follow both SDKs' own policy (sdk source, 2026): 408, 409, 429 and 5xx (incl. 529
 * overloaded) and connection failures are transient; an `x-should-retry: true|false` header overrides.
 */
import { ModelError } from '../errors.ts';
import { causeMsg, genericModelError, modelErrorFromStatus, msg, type HeaderBag } from './errors.ts';

type ErrorClass<T = Error> = abstract new (...args: never[]) => T;

/** The error classes both SDKs export under these names (`import * as Sdk from '<sdk>'`). */
export interface SdkErrorClasses {
  APIUserAbortError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIError: ErrorClass<Error & { status?: number | undefined; headers?: unknown }>;
}

/**
 * The mapping for one SDK. The returned function maps any thrown value from a provider call to a
 * `ModelError`: `aborted`, `timeout` and `connection` (retryable) from the SDK's own classes, HTTP
 * errors by status (errors.ts), the rest as `genericModelError` does.
 * Its parameters: `provider`, the provider name for the message (`anthropic`, `openai-compatible`);
 * `keyHint`, the env var to mention on auth failures (e.g. `ANTHROPIC_API_KEY`).
 */
export function errorMapper(sdk: SdkErrorClasses): (err: unknown, provider: string, keyHint?: string) => ModelError {
  return (err, provider, keyHint = 'the API key') => {
    if (err instanceof ModelError) return err;
    if (err instanceof sdk.APIUserAbortError) {
      return new ModelError('aborted', `${provider} call aborted`, { retryable: false, cause: err });
    }
    if (err instanceof sdk.APIConnectionTimeoutError) {
      return new ModelError('timeout', `${provider} did not answer in time (${msg(err)}); will retry`, { retryable: true, cause: err });
    }
    if (err instanceof sdk.APIConnectionError) {
      return new ModelError('connection', `${provider} connection failed: ${msg(err)}${causeMsg(err)}`, { retryable: true, cause: err });
    }
    if (err instanceof sdk.APIError) {
      return modelErrorFromStatus(err.status, err.headers as HeaderBag, err, provider, keyHint);
    }
    return genericModelError(err, provider);
  };
}
