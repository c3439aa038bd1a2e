/**
 * Builds the model provider a command asked for from flags > env > config file (the resolution
 * lives in src/model/config.ts). Wiring only. Chain switches (retry, fallback, circuit) are queued
 * so the run can write them into the trace with the step they happened in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelProvider } from '../model/types.ts';
import { createProvider as createFromConfig, resolveModelConfig, type ModelFlags, type ResolvedModelConfig } from '../model/config.ts';
import type { ChainEvent } from '../model/chain.ts';
import { ConfigError } from '../errors.ts';

export const PROVIDER_NAMES = ['anthropic', 'openai-compatible', 'replay', 'chain'] as const;

export interface ProviderFlags {
  provider: string;
  model?: string;
  transcript?: string;
  baseUrl?: string;
  /** Explicit config file. */
  config?: string;
  /** Replay only: transcript lines already consumed by a run being resumed. */
  skipReplies?: number;
}

export interface BuiltProvider {
  provider: ModelProvider;
  config: ResolvedModelConfig;
  /** Chain events since the last call, oldest first (the queue is emptied). */
  drainEvents: () => ChainEvent[];
}

/**
 * @throws ConfigError for an unknown provider, a missing API key (one line naming the variable),
 *   `replay` without a transcript, or a bad config key (named by its path).
 */
export async function buildProvider(flags: ProviderFlags, env: Record<string, string | undefined>, cwd = process.cwd()): Promise<BuiltProvider> {
  if (!(PROVIDER_NAMES as readonly string[]).includes(flags.provider)) {
    throw new ConfigError('unknown_provider', `--provider ${flags.provider}: unknown provider; use one of ${PROVIDER_NAMES.join(', ')}`);
  }
  if (flags.provider === 'replay' && !flags.transcript) {
    throw new ConfigError('missing_transcript', '--provider replay needs --transcript <file.jsonl> (a recorded run, e.g. tasks/<id>/transcript.jsonl)');
  }
  const modelFlags: ModelFlags = {
    provider: flags.provider as ModelFlags['provider'],
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseURL: flags.baseUrl } : {}),
    ...(flags.transcript ? { transcript: flags.transcript } : {}),
    ...(flags.config ? { config: flags.config } : {}),
  };
  const config = withEnvFallback(await resolveModelConfig({ cwd, flags: modelFlags, env }), env);
  const events: ChainEvent[] = [];
  const drainEvents = () => events.splice(0, events.length);
  if (flags.provider === 'replay' && flags.skipReplies) {
    const { parseTranscript, ReplayProvider } = await import('../model/replay.ts');
    const lines = parseTranscript(readFileSync(flags.transcript!, 'utf8'), flags.transcript!);
    return { provider: new ReplayProvider(lines.slice(flags.skipReplies), { source: flags.transcript! }), config, drainEvents };
  }
  const provider = await createFromConfig(config, { env, chain: { onEvent: (e) => events.push(e) } });
  return { provider, config, drainEvents };
}

/**
 * `PATCHLOOP_FALLBACK_MODEL` (+ `OPENAI_BASE_URL`, key in `OPENAI_API_KEY`) appends an
 * OpenAI-compatible fallback to a chain that has none — how the GitHub Action passes its
 * fallback inputs without writing a config file.
 */
export function withEnvFallback(cfg: ResolvedModelConfig, env: Record<string, string | undefined>): ResolvedModelConfig {
  const model = env['PATCHLOOP_FALLBACK_MODEL']?.trim();
  if (!model || cfg.chain.some((e) => e.provider === 'openai-compatible') || cfg.chain.every((e) => e.provider === 'replay')) return cfg;
  const baseURL = env['OPENAI_BASE_URL']?.trim();
  return { ...cfg, chain: [...cfg.chain, { provider: 'openai-compatible', model, ...(baseURL ? { baseURL } : {}) }] };
}

/** Just the provider (see `buildProvider`). */
export async function createProvider(flags: ProviderFlags, env: Record<string, string | undefined>, cwd = process.cwd()): Promise<ModelProvider> {
  return (await buildProvider(flags, env, cwd)).provider;
}

/** The provider flags as recorded in run.json (no secrets), so `resume` can rebuild the provider. */
export function providerSpecOf(flags: ProviderFlags): { name: string; model?: string; baseUrl?: string; transcript?: string; config?: string } {
  return {
    name: flags.provider,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.transcript ? { transcript: path.resolve(flags.transcript) } : {}),
    ...(flags.config ? { config: path.resolve(flags.config) } : {}),
  };
}
