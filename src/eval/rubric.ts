/**
 * Score (c) of the gold set: does the final message explain the change? A rubric of three checks,
 * each a plain pattern so a reader can see why a message passed or failed: it names a changed file,
 * gives a reason, and mentions a trade-off or alternative.
 */

const REASON = /\b(because|since|so that|so the|in order to|which (?:caused|meant|made)|the (?:bug|cause|problem|issue) (?:is|was)|root cause|caused by|led to)\b/i;
const TRADE_OFF = /\b(trade-?offs?|alternatives?|instead of|could (?:also|instead)|downside|at the cost of|rather than|on the other hand|considered)\b/i;

export interface ExplanationScore {
  ok: boolean;
  namesFiles: boolean;
  givesReason: boolean;
  mentionsTradeOff: boolean;
}

/** @param changedFiles repo-relative paths the run changed (a basename match counts). */
export function scoreExplanation(message: string, changedFiles: string[]): ExplanationScore {
  const namesFiles = changedFiles.length === 0 || changedFiles.some((f) => message.includes(f) || message.includes(f.split('/').pop()!));
  const givesReason = REASON.test(message);
  const mentionsTradeOff = TRADE_OFF.test(message);
  return { ok: namesFiles && givesReason && mentionsTradeOff, namesFiles, givesReason, mentionsTradeOff };
}
