/**
 * Message Batches (Anthropic): submit many first-turn requests at once (50 % off input and output,
 * platform docs 2026 — price them with `costUsd(…, {batch: true})`), poll until the batch ends,
 * collect results keyed by `custom_id`. Useful for eval runs where every task's first (plan) turn
 * is independent.
 */
import { ModelError } from '../errors.ts';
import { fromAnthropicMessage, type AnthropicProvider } from './anthropic.ts';
import { abortableSleep } from './chain.ts';
import * as AnthropicSdk from '@anthropic-ai/sdk';
import { errorMapper } from './sdk-errors.ts';
import type { ModelRequest, ModelResponse } from './types.ts';

/** Maps the Anthropic SDK's errors (sdk-errors.ts). */
const toModelError = errorMapper(AnthropicSdk);

/** One request of a batch. `customId`: 1–64 chars of `[A-Za-z0-9_-]`, unique in the batch (API rule). */
export interface BatchItem {
  customId: string;
  request: ModelRequest;
}

export type BatchResult =
  | { customId: string; ok: true; response: ModelResponse }
  | { customId: string; ok: false; error: string };

export interface PollOptions {
  /** Wait between polls (ms). Default 30,000. */
  intervalMs?: number;
  /** Give up after this many polls. Default 2,880 (24 h at 30 s: the API's own batch expiry). */
  maxPolls?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Called after each poll with the status and the request counts. */
  onPoll?: (status: string, counts: Record<string, number>) => void;
}

const CUSTOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Submits `items` as one batch; returns the batch id.
 * @throws ModelError `bad_batch_request` (empty batch, bad or duplicate custom id) or a mapped SDK error.
 */
export async function submitBatch(provider: AnthropicProvider, items: BatchItem[], signal?: AbortSignal): Promise<string> {
  if (items.length === 0) throw new ModelError('bad_batch_request', 'batch has no requests', { retryable: false });
  const seen = new Set<string>();
  for (const it of items) {
    if (!CUSTOM_ID.test(it.customId)) throw new ModelError('bad_batch_request', `batch custom id "${it.customId}" must be 1–64 characters of A–Z, a–z, 0–9, _ or -`, { retryable: false });
    if (seen.has(it.customId)) throw new ModelError('bad_batch_request', `batch custom id "${it.customId}" is used twice; ids must be unique`, { retryable: false });
    seen.add(it.customId);
  }
  try {
    const batch = await provider.client.messages.batches.create(
      { requests: items.map((it) => ({ custom_id: it.customId, params: provider.buildParams(it.request) })) },
      signal ? { signal } : undefined,
    );
    return batch.id;
  } catch (err) {
    throw toModelError(err, provider.name, 'ANTHROPIC_API_KEY');
  }
}

/**
 * Polls until the batch's `processing_status` is `ended` (injected sleep between polls).
 * @throws ModelError `batch_timeout` after `maxPolls`; `aborted`; mapped SDK errors.
 */
export async function waitForBatch(provider: AnthropicProvider, batchId: string, opts: PollOptions = {}): Promise<void> {
  const sleep = opts.sleep ?? abortableSleep;
  const maxPolls = opts.maxPolls ?? 2880;
  for (let poll = 1; poll <= maxPolls; poll++) {
    let status: string;
    try {
      const b = await provider.client.messages.batches.retrieve(batchId, {}, opts.signal ? { signal: opts.signal } : undefined);
      status = b.processing_status;
      opts.onPoll?.(status, { ...b.request_counts });
    } catch (err) {
      throw toModelError(err, provider.name, 'ANTHROPIC_API_KEY');
    }
    if (status === 'ended') return;
    if (poll < maxPolls) await sleep(opts.intervalMs ?? 30_000, opts.signal);
  }
  throw new ModelError('batch_timeout', `batch ${batchId} did not end after ${maxPolls} polls; collect it later with its id`, { retryable: false });
}

/** Downloads an ended batch's results, keyed by custom id. @throws mapped SDK errors. */
export async function collectBatch(provider: AnthropicProvider, batchId: string, signal?: AbortSignal): Promise<Map<string, BatchResult>> {
  const out = new Map<string, BatchResult>();
  try {
    const results = await provider.client.messages.batches.results(batchId, {}, signal ? { signal } : undefined);
    for await (const line of results) {
      const r = line.result;
      if (r.type === 'succeeded') out.set(line.custom_id, { customId: line.custom_id, ok: true, response: fromAnthropicMessage(r.message, provider.name) });
      else if (r.type === 'errored') out.set(line.custom_id, { customId: line.custom_id, ok: false, error: `errored: ${r.error.error.type}: ${r.error.error.message}` });
      else out.set(line.custom_id, { customId: line.custom_id, ok: false, error: r.type });
    }
  } catch (err) {
    throw toModelError(err, provider.name, 'ANTHROPIC_API_KEY');
  }
  return out;
}

/** submit → wait → collect in one call. */
export async function runBatch(provider: AnthropicProvider, items: BatchItem[], opts: PollOptions = {}): Promise<Map<string, BatchResult>> {
  const id = await submitBatch(provider, items, opts.signal);
  await waitForBatch(provider, id, opts);
  return collectBatch(provider, id, opts.signal);
}
