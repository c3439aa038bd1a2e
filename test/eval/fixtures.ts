/** A small fixed set of InstanceResults covering every category, a failure and a null cost-per-resolved. */
import type { InstanceResult } from '../../src/eval/run-instance.ts';

const u = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens });

function r(p: Partial<InstanceResult> & Pick<InstanceResult, 'id' | 'category'>): InstanceResult {
  return { status: 'resolved', resolved: true, styleOk: true, iterations: 1, steps: 3, usage: u(1000, 200), usd: 0.01, wallMs: 2000, validatorsFired: [], ...p };
}

export const RESULTS: InstanceResult[] = [
  r({ id: 'bugfix-a', category: 'bugfix', iterations: 2, usage: u(1000, 500, 4000, 1000), usd: 0.02, validatorsFired: ['types'], explanation: { ok: true, namesFiles: true, givesReason: true, mentionsTradeOff: true } }),
  r({ id: 'bugfix-b', category: 'bugfix', resolved: false, status: 'failed', styleOk: false, iterations: 3, usd: 0.04, reason: 'repair exhausted | pipes\nand lines', explanation: { ok: false, namesFiles: true, givesReason: false, mentionsTradeOff: false } }),
  r({ id: 'refactor-a', category: 'refactor', iterations: 1, usd: 0.03 }),
  r({ id: 'testgen-a', category: 'testgen', usd: 0.01, mutation: { resolved: true, passOnReference: true, killed: 3, planted: 3, score: 1, survivors: [], generated: ['src/a.test.ts'] } }),
  r({ id: 'testgen-b', category: 'testgen', resolved: false, status: 'resolved', usd: 0.01, iterations: 2, mutation: { resolved: false, passOnReference: true, killed: 1, planted: 4, score: 0.25, survivors: ['m2', 'm3', 'm4'], generated: ['src/b.test.ts'] } }),
  r({ id: 'review-a', category: 'review', styleOk: null, usd: 0.005, review: { resolved: true, found: 2, planted: 2, falseFindings: 1, recall: 1, precision: 2 / 3 } }),
  r({ id: 'completion-a', category: 'completion', resolved: false, status: 'error', styleOk: null, iterations: 0, usd: 0, usage: u(0, 0), reason: 'bad <script>alert(1)</script>' }),
];
