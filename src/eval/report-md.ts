/**
 * report.md of an eval run: a per-task table and the totals per category and overall. Pure.
 * Task ids and reasons come from task folders and model output (untrusted), so table cells are
 * escaped: a `|` or newline cannot break the table.
 */
import type { InstanceResult } from './run-instance.ts';
import { fmt, summarize, unresolvedWhy, type GroupSummary, DEFAULT_THRESHOLD } from './report-summary.ts';

/** What the header of a report says about the run. */
export interface ReportMeta {
  /** e.g. `replay`, `anthropic`. */
  provider: string;
  model?: string;
  /** ISO timestamp of the start. */
  startedAt: string;
  /** Elapsed wall time of the whole run, ms. */
  elapsedMs?: number;
  concurrency?: number;
  /** Gate on (a), 0..1. */
  threshold?: number;
}

/** Escapes a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function yesNo(b: boolean | null | undefined): string {
  return b === null || b === undefined ? '–' : b ? 'yes' : 'no';
}

/** One row per task. */
export function taskTable(results: InstanceResult[]): string {
  const head = '| task | category | resolved | style | explain | iter | input | output | cache read | cache write | USD | wall | validators fired | notes |';
  const sep = '|' + ' --- |'.repeat(14);
  const rows = results.map((r) => {
    const notes = r.resolved
      ? [r.mutation ? `mutants ${r.mutation.killed}/${r.mutation.planted}` : '', r.review ? `review ${r.review.found}/${r.review.planted} found, ${r.review.falseFindings} false` : ''].filter(Boolean).join('; ')
      : unresolvedWhy(r);
    return `| ${[
      cell(r.id), cell(r.category), r.resolved ? '**yes**' : 'NO', yesNo(r.styleOk), yesNo(r.explanation?.ok), String(r.iterations),
      fmt.int(r.usage.inputTokens), fmt.int(r.usage.outputTokens), fmt.int(r.usage.cacheReadTokens), fmt.int(r.usage.cacheWriteTokens),
      fmt.usd(r.usd), fmt.secs(r.wallMs), cell(r.validatorsFired.join(', ') || '–'), cell(notes || '–'),
    ].join(' | ')} |`;
  });
  return [head, sep, ...rows].join('\n');
}

/** One row per category plus `overall`. */
export function totalsTable(groups: GroupSummary[]): string {
  const head = '| group | tasks | resolved (a) | style (b) | explanation (c) | USD | USD / resolved | iterations | tokens in / out | mutation score | review recall | review precision |';
  const sep = '|' + ' --- |'.repeat(12);
  const rows = groups.map((g) => `| ${[
    g.name === 'overall' ? '**overall**' : cell(g.name), String(g.tasks), `${g.resolved}/${g.tasks} (${fmt.pct(g.resolvedRate)})`,
    g.styleRate === null ? '–' : `${fmt.pct(g.styleRate)} of ${g.styleChecked}`,
    g.explanationRate === null ? '–' : `${fmt.pct(g.explanationRate)} of ${g.explanationAsked}`,
    fmt.usd(g.usd), fmt.usd(g.usdPerResolved), String(g.iterations),
    `${fmt.int(g.usage.inputTokens + g.usage.cacheReadTokens + g.usage.cacheWriteTokens)} / ${fmt.int(g.usage.outputTokens)}`,
    fmt.pct(g.mutationScore), fmt.pct(g.reviewRecall), fmt.pct(g.reviewPrecision),
  ].join(' | ')} |`);
  return [head, sep, ...rows].join('\n');
}

/** The whole report.md. */
export function renderMarkdown(results: InstanceResult[], meta: ReportMeta): string {
  const s = summarize(results);
  const threshold = meta.threshold ?? DEFAULT_THRESHOLD;
  const pass = s.overall.tasks > 0 && s.overall.resolvedRate >= threshold;
  const run = [
    `provider ${cell(meta.provider)}${meta.model ? ` (${cell(meta.model)})` : ''}`, `started ${meta.startedAt}`,
    meta.concurrency ? `concurrency ${meta.concurrency}` : '', meta.elapsedMs !== undefined ? `elapsed ${fmt.secs(meta.elapsedMs)}` : '',
  ].filter(Boolean).join(' · ');
  return [
    '# patchloop eval', '', run, '',
    `**Resolved (a): ${s.overall.resolved}/${s.overall.tasks} = ${fmt.pct(s.overall.resolvedRate)}** — gate ${fmt.pct(threshold)}: ${pass ? 'PASS' : 'FAIL'}`,
    `Spend ${fmt.usd(s.overall.usd)} · ${fmt.usd(s.overall.usdPerResolved)} per resolved task`, '',
    '## Totals', '', totalsTable([...s.categories, s.overall]), '',
    '(a) compiles and hidden tests pass (testgen: generated tests kill every mutant; review: planted defects found within the false-finding cap) · (b) no style/lint finding on the final state · (c) the final message names a changed file, gives a reason and a trade-off (tasks with `explain` only). Token counts: input = uncached + cache read + cache write.', '',
    '## Tasks', '', taskTable(results), '',
  ].join('\n');
}
