import { describe, expect, it } from 'vitest';
import { costUsd, maxUsdPerToken, PRICES, resolvePrice, tryCostUsd } from '../../src/budget/prices.ts';
import type { Usage } from '../../src/model/types.ts';

const M = 1_000_000;
const u = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0): Usage => ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens });

describe('prices', () => {
  it('Sonnet 5.5 row matches the published figures', () => {
    expect(PRICES['claude-sonnet-5-5']).toMatchObject({ inputPerMTok: 2, outputPerMTok: 10, cacheWrite5mPerMTok: 2.5, cacheWrite1hPerMTok: 4, cacheReadPerMTok: 0.2, batchMultiplier: 0.5 });
    expect(PRICES['claude-opus-5-5']).toMatchObject({ inputPerMTok: 4, outputPerMTok: 20 });
    expect(PRICES['claude-haiku-4-5']).toMatchObject({ inputPerMTok: 1, outputPerMTok: 5 });
    expect(PRICES['gpt-5']).toMatchObject({ inputPerMTok: 1.25, outputPerMTok: 10 });
    for (const row of Object.values(PRICES)) expect(row.source).toMatch(/20\d\d/);
  });

  it('costs each usage field at its own rate', () => {
    expect(costUsd('claude-sonnet-5-5', u(M, 0))).toBeCloseTo(2);
    expect(costUsd('claude-sonnet-5-5', u(0, M))).toBeCloseTo(10);
    expect(costUsd('claude-sonnet-5-5', u(0, 0, M))).toBeCloseTo(0.2);
    expect(costUsd('claude-sonnet-5-5', u(0, 0, 0, M))).toBeCloseTo(2.5);
    expect(costUsd('claude-sonnet-5-5', u(0, 0, 0, M), { cacheTtl: '1h' })).toBeCloseTo(4);
    expect(costUsd('claude-sonnet-5-5', u(M, M), { batch: true })).toBeCloseTo(6);
  });

  it('replay, dated ids and Ollama tags resolve to their rows', () => {
    expect(costUsd('replay', u(M, 0))).toBeCloseTo(2);
    expect(costUsd('claude-haiku-4-5-20251001', u(M, 0))).toBeCloseTo(1);
    expect(costUsd('qwen3-coder:480b', u(0, M))).toBeCloseTo(5);
  });

  it('unknown model: costUsd throws naming the fix, tryCostUsd says unpriced', () => {
    expect(() => costUsd('llama-9', u(1, 1))).toThrow(/no price for model "llama-9": add "prices"/);
    expect(tryCostUsd('llama-9', u(1, 1))).toEqual({ usd: 0, priced: false });
    expect(maxUsdPerToken('llama-9')).toBe(0);
  });

  it('config overrides replace or add rows', () => {
    expect(costUsd('claude-sonnet-5-5', u(M, 0), { prices: { 'claude-sonnet-5-5': { inputPerMTok: 3 } } })).toBeCloseTo(3);
    const local = { 'qwen3-coder-local': { inputPerMTok: 0, outputPerMTok: 0 } };
    expect(tryCostUsd('qwen3-coder-local', u(M, M), { prices: local })).toEqual({ usd: 0, priced: true });
    expect(resolvePrice('claude-sonnet-5-5', { 'claude-sonnet-5-5': { inputPerMTok: 3 } })?.source).toMatch(/overridden by config/);
  });
});
