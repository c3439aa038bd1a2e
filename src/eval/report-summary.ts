/**
 * Pure aggregation of an eval run: per-category and overall totals from `InstanceResult`s, the
 * results.jsonl format (one InstanceResult per line) and the (a) gate. No I/O here; the writers
 * (report-md.ts, report-html.ts, report-files.ts) render these numbers.
 */
import { ConfigError } from '../errors.ts';
import { TASK_CATEGORIES } from './task-schema.ts';
import type { Usage } from '../model/types.ts';
import type { InstanceResult } from './run-instance.ts';

/** Default bar for score (a): a primary model below 85% resolved is rejected (issue 6). */
export const DEFAULT_THRESHOLD = 0.85;

/** Totals over a group of results (one category, or all). Rates are 0..1; null when not applicable. */
export interface GroupSummary {
  /** Category name, or `overall`. */
  name: string;
  tasks: number;
  resolved: number;
  /** (a) resolved / tasks. */
  resolvedRate: number;
  /** (b) share of results with `styleOk === true` among those checked; null when none was checked. */
  styleRate: number | null;
  styleChecked: number;
  /** (c) share of explanations passing the rubric among tasks with `explain`; null when none asked. */
  explanationRate: number | null;
  explanationAsked: number;
  /** Total spend, USD. */
  usd: number;
  /** usd / resolved, USD; null when nothing resolved. */
  usdPerResolved: number | null;
  usage: Usage;
  iterations: number;
  /** Summed wall time of the tasks, ms (not the elapsed time of a concurrent run). */
  wallMs: number;
  /** testgen: mutants killed / planted over the group; null when the group has none. */
  mutationScore: number | null;
  /** review: planted defects found / planted; null when the group has none. */
  reviewRecall: number | null;
  /** review: mean of the per-task precision; null when the group has none. */
  reviewPrecision: number | null;
}

export interface RunSummary {
  overall: GroupSummary;
  /** Categories that occur in the results, in the schema's order (unknown ones last, sorted). */
  categories: GroupSummary[];
}

const ZERO: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/** Aggregates one group. */
export function summarizeGroup(name: string, results: InstanceResult[]): GroupSummary {
  const resolved = results.filter((r) => r.resolved).length;
  const styled = results.filter((r) => r.styleOk !== null);
  const explained = results.filter((r) => r.explanation !== undefined);
  const usd = results.reduce((s, r) => s + r.usd, 0);
  const usage = results.reduce<Usage>((u, r) => ({
    inputTokens: u.inputTokens + r.usage.inputTokens,
    outputTokens: u.outputTokens + r.usage.outputTokens,
    cacheReadTokens: u.cacheReadTokens + r.usage.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens + r.usage.cacheWriteTokens,
  }), { ...ZERO });
  const mut = results.filter((r) => r.mutation !== undefined).map((r) => r.mutation!);
  const rev = results.filter((r) => r.review !== undefined).map((r) => r.review!);
  return {
    name, tasks: results.length, resolved,
    resolvedRate: results.length === 0 ? 0 : resolved / results.length,
    styleRate: ratio(styled.filter((r) => r.styleOk === true).length, styled.length), styleChecked: styled.length,
    explanationRate: ratio(explained.filter((r) => r.explanation!.ok).length, explained.length), explanationAsked: explained.length,
    usd, usdPerResolved: ratio(usd, resolved), usage,
    iterations: results.reduce((s, r) => s + r.iterations, 0),
    wallMs: results.reduce((s, r) => s + r.wallMs, 0),
    mutationScore: ratio(mut.reduce((s, m) => s + m.killed, 0), mut.reduce((s, m) => s + m.planted, 0)),
    reviewRecall: ratio(rev.reduce((s, m) => s + m.found, 0), rev.reduce((s, m) => s + m.planted, 0)),
    reviewPrecision: ratio(rev.reduce((s, m) => s + m.precision, 0), rev.length),
  };
}

/** Per-category and overall totals. */
export function summarize(results: InstanceResult[]): RunSummary {
  const known: readonly string[] = TASK_CATEGORIES;
  const names = [...new Set(results.map((r) => r.category))].sort((a, b) => {
    const ia = known.indexOf(a), ib = known.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return {
    overall: summarizeGroup('overall', results),
    categories: names.map((n) => summarizeGroup(n, results.filter((r) => r.category === n))),
  };
}

/**
 * The (a) gate: 0 when the overall resolved rate is at or above `threshold` (0..1), else 1.
 * An empty run fails the gate (nothing was shown to resolve).
 */
export function gateExitCode(summary: RunSummary, threshold = DEFAULT_THRESHOLD): 0 | 1 {
  return summary.overall.tasks > 0 && summary.overall.resolvedRate >= threshold ? 0 : 1;
}

/** Parses `--threshold`: a rate in 0..1, or a percentage like `85` / `85%`. @throws ConfigError */
export function parseThreshold(value: string): number {
  const pct = value.trim().endsWith('%');
  const n = Number(pct ? value.trim().slice(0, -1) : value);
  const rate = pct || n > 1 ? n / 100 : n;
  if (!Number.isFinite(n) || rate < 0 || rate > 1) throw new ConfigError('bad_threshold', `--threshold ${value}: expected a rate between 0 and 1 (e.g. 0.85) or a percentage (e.g. 85%)`);
  return rate;
}

/** results.jsonl text: one InstanceResult per line. The bulky per-test lists of `hidden` are dropped. */
export function toResultsJsonl(results: InstanceResult[]): string {
  return results.map((r) => JSON.stringify(r.hidden ? { ...r, hidden: { ...r.hidden, tests: [] } } : r)).join('\n') + (results.length ? '\n' : '');
}

/**
 * Parses results.jsonl text back into results (light shape check: id, category, resolved, usd, usage).
 * @throws ConfigError `bad_results` naming `source:line` and the problem.
 */
export function parseResultsJsonl(text: string, source: string): InstanceResult[] {
  const out: InstanceResult[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let r: Partial<InstanceResult>;
    try {
      r = JSON.parse(line) as Partial<InstanceResult>;
    } catch (err) {
      throw new ConfigError('bad_results', `${source}:${i + 1}: not valid JSON (${(err as Error).message}); expected one InstanceResult per line`);
    }
    const missing = (['id', 'category', 'resolved', 'usd', 'usage'] as const).filter((k) => r[k] === undefined);
    if (missing.length) throw new ConfigError('bad_results', `${source}:${i + 1}: missing ${missing.join(', ')}; is this a patchloop eval results.jsonl?`);
    out.push({ styleOk: null, iterations: 0, steps: 0, wallMs: 0, validatorsFired: [], status: 'error', ...r } as InstanceResult);
  });
  return out;
}

/**
 * Why a result is not resolved, in one line: the loop's own status and reason, or — when the loop
 * said resolved — the scorer that refused it (hidden tests, mutants, review). Empty when resolved.
 */
export function unresolvedWhy(r: InstanceResult): string {
  if (r.resolved) return '';
  if (r.status !== 'resolved') return `${r.status}${r.reason ? `: ${r.reason.split('\n')[0]!.slice(0, 200)}` : ''}`;
  if (r.hidden && !r.hidden.passed) {
    const failed = [...r.hidden.failToPass, ...r.hidden.passToPass].filter((t) => !t.passed).map((t) => t.id);
    return `hidden tests fail (${failed.length}): ${failed.slice(0, 2).join('; ')}${failed.length > 2 ? '; …' : ''}${r.hidden.missing.length ? ` (${r.hidden.missing.length} never reported)` : ''}`;
  }
  if (r.mutation) return `mutants killed ${r.mutation.killed}/${r.mutation.planted}${r.mutation.generated.length === 0 ? ', no test file generated' : r.mutation.passOnReference ? '' : ', generated tests fail on the code as it is'}`;
  if (r.review) return r.review.error ? `review: ${r.review.error}` : `review found ${r.review.found}/${r.review.planted} defects, ${r.review.falseFindings} false finding(s)`;
  return 'scoring refused the result';
}

/** Formatting helpers shared by the renderers. */
export const fmt = {
  pct: (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`),
  usd: (x: number | null): string => (x === null ? '–' : `$${x.toFixed(4)}`),
  secs: (ms: number): string => `${(ms / 1000).toFixed(1)} s`,
  int: (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','),
};
