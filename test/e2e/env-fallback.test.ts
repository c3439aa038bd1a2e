/** The GitHub Action's fallback inputs arrive as env vars; they append an OpenAI-compatible fallback. */
import { describe, expect, it } from 'vitest';
import { withEnvFallback } from '../../src/cli/providers.ts';
import type { ResolvedModelConfig } from '../../src/model/config.ts';

const base: ResolvedModelConfig = { chain: [{ provider: 'anthropic', model: 'claude-sonnet-5-5' }], prices: {}, budget: {}, retry: {}, file: undefined };

describe('PATCHLOOP_FALLBACK_MODEL', () => {
  it('appends an openai-compatible entry with the base URL', () => {
    const cfg = withEnvFallback(base, { PATCHLOOP_FALLBACK_MODEL: 'qwen3-coder', OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' });
    expect(cfg.chain).toEqual([base.chain[0], { provider: 'openai-compatible', model: 'qwen3-coder', baseURL: 'http://127.0.0.1:8000/v1' }]);
  });

  it('leaves a chain alone when unset, when it already has a fallback, or for replay', () => {
    expect(withEnvFallback(base, {})).toBe(base);
    const withOpenAI = { ...base, chain: [...base.chain, { provider: 'openai-compatible' as const, model: 'gpt-5' }] };
    expect(withEnvFallback(withOpenAI, { PATCHLOOP_FALLBACK_MODEL: 'qwen3-coder' })).toBe(withOpenAI);
    const replay = { ...base, chain: [{ provider: 'replay' as const, transcript: 't.jsonl' }] };
    expect(withEnvFallback(replay, { PATCHLOOP_FALLBACK_MODEL: 'qwen3-coder' })).toBe(replay);
  });
});
