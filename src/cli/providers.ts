/**
 * Builds the model provider a command asked for. Wiring only: the providers live in src/model/.
 */
import { ConfigError } from '../errors.ts';
import type { ModelProvider } from '../model/types.ts';
import { createAnthropicFromEnv } from '../model/anthropic.ts';
import { parseTranscript, ReplayProvider } from '../model/replay.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PROVIDER_NAMES = ['anthropic', 'replay'] as const;

export interface ProviderFlags {
  provider: string;
  model?: string;
  transcript?: string;
  baseUrl?: string;
  /** Replay only: transcript lines already consumed by a run being resumed. */
  skipReplies?: number;
}

/**
 * @throws ConfigError for an unknown provider, a missing API key, or `replay` without a transcript.
 */
export async function createProvider(flags: ProviderFlags, env: Record<string, string | undefined>): Promise<ModelProvider> {
  switch (flags.provider) {
    case 'anthropic':
      return createAnthropicFromEnv(env, { ...(flags.model ? { model: flags.model } : {}), ...(flags.baseUrl ? { baseURL: flags.baseUrl } : {}) });
    case 'replay':
      if (!flags.transcript) throw new ConfigError('missing_transcript', '--provider replay needs --transcript <file.jsonl> (a recorded run, e.g. tasks/<id>/transcript.jsonl)');
      if (flags.skipReplies) {
        const lines = parseTranscript(readFileSync(flags.transcript, 'utf8'), flags.transcript);
        return new ReplayProvider(lines.slice(flags.skipReplies), { source: flags.transcript });
      }
      return ReplayProvider.fromFile(flags.transcript);
    default:
      throw new ConfigError('unknown_provider', `--provider ${flags.provider}: unknown provider; use one of ${PROVIDER_NAMES.join(', ')}`);
  }
}

/** The provider flags as recorded in run.json (no secrets), so `resume` can rebuild the provider. */
export function providerSpecOf(flags: ProviderFlags): { name: string; model?: string; baseUrl?: string; transcript?: string } {
  return {
    name: flags.provider,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.transcript ? { transcript: path.resolve(flags.transcript) } : {}),
  };
}
