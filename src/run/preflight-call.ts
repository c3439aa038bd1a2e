/**
 * The budget pre-flight of one model call: the local estimate decides when it is far from the cap;
 * the provider's exact count (count_tokens) is paid for only when it can change the answer.
 */
import type { ModelProvider, ModelRequest } from '../model/types.ts';
import { estimateInputTokens } from '../model/estimate.ts';
import { needsExactCount, preflight, type Budget, type Spend } from '../budget/policy.ts';
import { BudgetError } from '../errors.ts';

export interface PreflightResult {
  /** max_tokens to send (the wanted value, lowered to what the budget allows). */
  maxOutputTokens: number;
  /** Input tokens the decision used. */
  inputTokens: number;
  /** `count_tokens` when the provider counted them, `local` when the ≈4 chars/token estimate decided. */
  source: 'local' | 'count_tokens';
}

/**
 * Decides whether the call may be sent. Asks `provider.countTokens` only when
 * `needsExactCount` says the local estimate is within the safety margin of the remaining budget;
 * a provider that cannot count (or fails to) leaves the local estimate in charge.
 * @throws BudgetError `budget_preflight` when the call would pass the token or USD budget.
 */
export async function preflightCall(
  provider: ModelProvider,
  request: ModelRequest,
  budget: Budget,
  spend: Spend,
  usdPerOutputToken: number,
  signal?: AbortSignal,
): Promise<PreflightResult> {
  const local = estimateInputTokens(request);
  let inputTokens = local;
  let source: PreflightResult['source'] = 'local';
  if (provider.countTokens && needsExactCount(budget, spend, local, request.maxTokens, usdPerOutputToken)) {
    try {
      const counted = await provider.countTokens(request, signal);
      inputTokens = counted.inputTokens;
      if (counted.source === 'api') source = 'count_tokens';
    } catch {
      // Offline or not supported: the estimate is the documented fallback.
    }
  }
  const pf = preflight(budget, spend, inputTokens, request.maxTokens, usdPerOutputToken);
  if (!pf.ok) throw new BudgetError('budget_preflight', `call not sent — ${pf.reason}`);
  return { maxOutputTokens: pf.maxOutputTokens, inputTokens, source };
}
