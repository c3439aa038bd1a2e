/**
 * Pure token/cost budget policy. The loop asks `preflight` before every model call so a call that
 * would pass the budget is never sent (a hard cap, not a soft one), and `isExhausted` after every
 * call. Token figures count every input token (uncached, cache read, cache write) plus output.
 */
import { totalInput, type Usage } from '../model/types.ts';

export interface Budget {
  /** Hard cap on tokens for the run (input incl. cache + output). */
  maxTokens: number;
  /** Optional hard cap in USD for the run. */
  maxUsd?: number;
}

export interface Spend {
  usage: Usage;
  /** USD spent so far in this run. */
  usd: number;
}

/** Smallest output allowance worth sending a call for, in tokens; below it the run stops instead. */
export const MIN_OUTPUT_TOKENS = 256;

export function tokensUsed(u: Usage): number {
  return totalInput(u) + u.outputTokens;
}

export type Preflight =
  | { ok: true; maxOutputTokens: number }
  | { ok: false; reason: string };

/**
 * Decides whether the next call may be sent and how many output tokens it may ask for.
 * @param estimatedInputTokens estimate of the call's input (local ≈4 chars/token or count_tokens)
 * @param wantedOutputTokens the configured max_tokens per call
 * @param estimatedUsdPerToken upper-bound USD per output token for the model (for the USD cap)
 */
export function preflight(
  budget: Budget,
  spend: Spend,
  estimatedInputTokens: number,
  wantedOutputTokens: number,
  estimatedUsdPerToken = 0,
): Preflight {
  const used = tokensUsed(spend.usage);
  const left = budget.maxTokens - used - estimatedInputTokens;
  if (left < MIN_OUTPUT_TOKENS) {
    return {
      ok: false,
      reason: `token budget: ${used} used + ~${estimatedInputTokens} for the next call's input leaves ${Math.max(0, left)} of ${budget.maxTokens} (need ≥ ${MIN_OUTPUT_TOKENS} for output)`,
    };
  }
  let maxOutputTokens = Math.min(wantedOutputTokens, left);
  if (budget.maxUsd !== undefined && estimatedUsdPerToken > 0) {
    const usdLeft = budget.maxUsd - spend.usd - estimatedInputTokens * estimatedUsdPerToken;
    const affordable = Math.floor(usdLeft / estimatedUsdPerToken);
    if (affordable < MIN_OUTPUT_TOKENS) {
      return {
        ok: false,
        reason: `USD budget: $${spend.usd.toFixed(4)} spent of $${budget.maxUsd.toFixed(2)}; the next call (~${estimatedInputTokens} input tokens) would pass it`,
      };
    }
    maxOutputTokens = Math.min(maxOutputTokens, affordable);
  }
  return { ok: true, maxOutputTokens };
}

/**
 * Share of the remaining budget held back before the local estimate stops being good enough and the
 * provider's exact count (Anthropic's count_tokens, one extra round trip) is asked for: 20 %.
 * Why: the local estimate (≈ 4 chars/token, src/model/estimate.ts) is off by up to ±30 % on code.
 * A call sent on the local estimate has input + max_tokens ≤ 80 % of what is left, so it passes the
 * cap only if its real input is more than 1.25 × the estimate plus a quarter of its output
 * allowance — at the default 8 192 max_tokens and inputs up to 20 k tokens that is > 35 % off,
 * outside the estimator's error. Closer to the cap, every call is counted exactly.
 */
export const COUNT_TOKENS_MARGIN = 0.2;

/**
 * True when the next call's local worst case (estimated input + the output it would ask for)
 * reaches the last `margin` of the remaining token or USD budget, so an exact count can change
 * the pre-flight's answer; false when the local estimate is the pre-flight.
 * @param estimatedUsdPerToken upper-bound USD per token (0 = unpriced: the USD cap cannot be checked)
 */
export function needsExactCount(
  budget: Budget,
  spend: Spend,
  localInputTokens: number,
  wantedOutputTokens: number,
  estimatedUsdPerToken = 0,
  margin = COUNT_TOKENS_MARGIN,
): boolean {
  const worstTokens = localInputTokens + wantedOutputTokens;
  if (worstTokens > (budget.maxTokens - tokensUsed(spend.usage)) * (1 - margin)) return true;
  if (budget.maxUsd === undefined || estimatedUsdPerToken <= 0) return false;
  return worstTokens * estimatedUsdPerToken > (budget.maxUsd - spend.usd) * (1 - margin);
}

/** True when nothing useful can be sent any more. */
export function isExhausted(budget: Budget, spend: Spend): boolean {
  if (tokensUsed(spend.usage) + MIN_OUTPUT_TOKENS > budget.maxTokens) return true;
  return budget.maxUsd !== undefined && spend.usd >= budget.maxUsd;
}
