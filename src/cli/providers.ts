/**
 * Builds the model provider a command asked for. Wiring only: the providers live in src/model/.
 */
import { ConfigError } from '../errors.ts';
import type { ModelProvider } from '../model/types.ts';
import { createAnthropicFromEnv } from '../model/anthropic.ts';
import { ReplayProvider } from '../model/replay.ts';

export const PROVIDER_NAMES = ['anthropic', 'replay'] as const;

export interface ProviderFlags {
  provider: string;
  model?: string;
  transcript?: string;
  baseUrl?: string;
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
      return ReplayProvider.fromFile(flags.transcript);
    default:
      throw new ConfigError('unknown_provider', `--provider ${flags.provider}: unknown provider; use one of ${PROVIDER_NAMES.join(', ')}`);
  }
}
