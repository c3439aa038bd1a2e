/** report.md: per-task rows, totals per category and overall, escaped cells. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/eval/report-md.ts';
import { RESULTS } from './fixtures.ts';

const md = renderMarkdown(RESULTS, { provider: 'replay', model: 'claude-sonnet-5-5', startedAt: '2026-11-28T05:00:00.000Z', elapsedMs: 65_000, concurrency: 2, threshold: 0.85 });
const rows = (prefix: string) => md.split('\n').filter((l) => l.startsWith(prefix));

describe('report.md', () => {
  it('states the gate verdict and the spend', () => {
    expect(md).toContain('**Resolved (a): 4/7 = 57.1%** — gate 85.0%: FAIL');
    expect(md).toContain('Spend $0.1150 · $0.0287 per resolved task');
    expect(md).toContain('provider replay (claude-sonnet-5-5) · started 2026-11-28T05:00:00.000Z · concurrency 2 · elapsed 65.0 s');
  });

  it('has one row per task with tokens, USD, wall time and validators', () => {
    expect(rows('| bugfix-a |')[0]).toBe('| bugfix-a | bugfix | **yes** | yes | yes | 2 | 1,000 | 500 | 4,000 | 1,000 | $0.0200 | 2.0 s | types | – |');
    expect(rows('| testgen-b |')[0]).toContain('| mutants killed 1/4 |');
    expect(rows('| review-a |')[0]).toContain('review 2/2 found, 1 false');
    for (const r of RESULTS) expect(rows(`| ${r.id} |`)).toHaveLength(1);
  });

  it('escapes pipes, newlines and markup from untrusted reasons', () => {
    const row = rows('| bugfix-b |')[0]!;
    expect(row).toContain('failed: repair exhausted \\| pipes');
    expect(row.split(/(?<!\\)\|/)).toHaveLength(16);
    expect(md).not.toContain('<script>');
  });

  it('has totals per category and overall, with mutation score and review recall/precision', () => {
    expect(rows('| testgen |')[0]).toBe('| testgen | 2 | 1/2 (50.0%) | 100.0% of 2 | – | $0.0200 | $0.0200 | 3 | 2,000 / 400 | 57.1% | – | – |');
    expect(rows('| review |')[0]).toContain('| 100.0% | 66.7% |');
    expect(rows('| **overall** |')[0]).toContain('| 7 | 4/7 (57.1%) | 80.0% of 5 | 50.0% of 2 | $0.1150 | $0.0287 |');
  });
});
