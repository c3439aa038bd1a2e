/**
 * `patchloop eval --compare runA runB`: two runs side by side — resolved, USD and the cost ratio
 * (B / A), per category and overall. Pure apart from `loadRun`, which reads a results.jsonl.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { InstanceResult } from './run-instance.ts';
import { fmt, parseResultsJsonl, summarize, summarizeGroup, type GroupSummary } from './report-summary.ts';

/**
 * Reads a run: an eval output folder (its results.jsonl) or a results.jsonl file.
 * @throws ConfigError `bad_run` when the path does not exist or holds no results.jsonl; `bad_results` on a malformed line.
 */
export function loadRun(p: string): InstanceResult[] {
  if (!existsSync(p)) throw new ConfigError('bad_run', `--compare ${p}: no such file or folder; pass an eval output folder or its results.jsonl`);
  const file = statSync(p).isDirectory() ? path.join(p, 'results.jsonl') : p;
  if (!existsSync(file)) throw new ConfigError('bad_run', `--compare ${p}: no results.jsonl in this folder; pass an eval output folder (eval-out/<timestamp>)`);
  return parseResultsJsonl(readFileSync(file, 'utf8'), file);
}

export interface CompareRow {
  /** Category or `overall`. */
  name: string;
  a: GroupSummary;
  b: GroupSummary;
  /** b.usd / a.usd; null when A spent nothing. */
  costRatio: number | null;
  /** b.usdPerResolved / a.usdPerResolved; null when either resolved nothing or A's is 0. */
  costPerResolvedRatio: number | null;
}

export interface Comparison {
  rows: CompareRow[];
  /** Task ids in only one of the runs (the comparison is then not like for like). */
  onlyInA: string[];
  onlyInB: string[];
  /** Tasks resolved in exactly one run. */
  resolvedOnlyInA: string[];
  resolvedOnlyInB: string[];
}

const div = (x: number | null, y: number | null) => (x === null || y === null || y === 0 ? null : x / y);

/** Compares two runs, category by category (union of both runs' categories) and overall. */
export function compareRuns(a: InstanceResult[], b: InstanceResult[]): Comparison {
  const names = [...new Set([...summarize(a).categories, ...summarize(b).categories].map((g) => g.name))];
  const row = (name: string, ra: InstanceResult[], rb: InstanceResult[]): CompareRow => {
    const ga = summarizeGroup(name, ra), gb = summarizeGroup(name, rb);
    return { name, a: ga, b: gb, costRatio: div(gb.usd, ga.usd), costPerResolvedRatio: div(gb.usdPerResolved, ga.usdPerResolved) };
  };
  const ids = (rs: InstanceResult[]) => new Set(rs.map((r) => r.id));
  const ia = ids(a), ib = ids(b);
  const resA = new Set(a.filter((r) => r.resolved).map((r) => r.id)), resB = new Set(b.filter((r) => r.resolved).map((r) => r.id));
  return {
    rows: [...names.map((n) => row(n, a.filter((r) => r.category === n), b.filter((r) => r.category === n))), row('overall', a, b)],
    onlyInA: [...ia].filter((id) => !ib.has(id)).sort(),
    onlyInB: [...ib].filter((id) => !ia.has(id)).sort(),
    resolvedOnlyInA: [...resA].filter((id) => ib.has(id) && !resB.has(id)).sort(),
    resolvedOnlyInB: [...resB].filter((id) => ia.has(id) && !resA.has(id)).sort(),
  };
}

/** Plain-text side-by-side table (fixed-width columns) for the terminal. */
export function renderComparison(c: Comparison, labels: { a: string; b: string }): string {
  const cols = ['group', 'resolved A', 'resolved B', 'USD A', 'USD B', 'cost B/A', 'USD/res A', 'USD/res B', 'USD/res B/A'];
  const widths = [14, 16, 16, 10, 10, 9, 10, 10, 11];
  const ratio = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}×`);
  const res = (g: GroupSummary) => `${g.resolved}/${g.tasks} ${fmt.pct(g.resolvedRate)}`;
  const line = (cells: string[]) => cells.map((t, i) => (i === 0 ? t.padEnd(widths[i]!) : t.padStart(widths[i]!))).join(' ').trimEnd();
  const out = [
    `A: ${labels.a}`, `B: ${labels.b}`, '',
    line(cols),
    ...c.rows.map((r) => line([r.name, res(r.a), res(r.b), fmt.usd(r.a.usd), fmt.usd(r.b.usd), ratio(r.costRatio), fmt.usd(r.a.usdPerResolved), fmt.usd(r.b.usdPerResolved), ratio(r.costPerResolvedRatio)])),
  ];
  if (c.resolvedOnlyInA.length) out.push('', `resolved only in A: ${c.resolvedOnlyInA.join(', ')}`);
  if (c.resolvedOnlyInB.length) out.push(c.resolvedOnlyInA.length ? '' : '', `resolved only in B: ${c.resolvedOnlyInB.join(', ')}`);
  if (c.onlyInA.length || c.onlyInB.length) out.push('', `warning: the runs cover different tasks (only in A: ${c.onlyInA.join(', ') || '–'}; only in B: ${c.onlyInB.join(', ') || '–'})`);
  return out.join('\n') + '\n';
}
