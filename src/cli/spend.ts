/**
 * The daily spending cap and the local cost ledger around a run: refuse to start over the cap,
 * record what the run spent afterwards. Ledger path: `PATCHLOOP_LEDGER` or ~/.patchloop/ledger.sqlite.
 */
import { CostLedger, defaultLedgerPath } from '../budget/ledger.ts';
import type { RunSummary } from '../run/run-task.ts';
import type { Usage } from '../model/types.ts';

export function openLedger(env: Record<string, string | undefined>): CostLedger {
  return new CostLedger({ path: env['PATCHLOOP_LEDGER'] || defaultLedgerPath() });
}

/** @throws BudgetError `daily_cap` (exit 3) when today's spend already reached `capUsd`. */
export function refuseOverDailyCap(env: Record<string, string | undefined>, capUsd: number | undefined): void {
  if (capUsd === undefined) return;
  const ledger = openLedger(env);
  try {
    ledger.checkDailyCap(capUsd);
  } finally {
    ledger.close();
  }
}

/**
 * Records a run's spend. For a resumed run pass what the snapshot already held (`before`), so only
 * the part spent in this session is added (the summary's figures are cumulative).
 */
export function recordSpend(env: Record<string, string | undefined>, s: RunSummary, before?: { usage: Usage; usd: number }): void {
  const usage: Usage = before
    ? {
        inputTokens: s.usage.inputTokens - before.usage.inputTokens,
        outputTokens: s.usage.outputTokens - before.usage.outputTokens,
        cacheReadTokens: s.usage.cacheReadTokens - before.usage.cacheReadTokens,
        cacheWriteTokens: s.usage.cacheWriteTokens - before.usage.cacheWriteTokens,
      }
    : s.usage;
  const usd = before ? Math.max(0, s.usd - before.usd) : s.usd;
  const ledger = openLedger(env);
  try {
    ledger.record({ runId: s.runId, model: s.model, usage, usd });
  } finally {
    ledger.close();
  }
}
