/** The repair message: grouped by file, deduplicated, sorted, capped with a count, diff excerpt near the findings. */
import { describe, expect, it } from 'vitest';
import { buildRepairPrompt, diffExcerpt, formatFinding, parseHunks } from '../../src/validate/repair-prompt.ts';
import type { Finding } from '../../src/validate/types.ts';

const f = (file: string, line: number, over: Partial<Finding> = {}): Finding => ({
  validator: 'types', file, line, column: 3, rule: 'TS2322', message: `problem at ${line}`, severity: 'error', ...over,
});

const DIFF = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1..2 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,2 +1,3 @@',
  ' const a = 1;',
  '+const b: number = "x";',
  ' export { a };',
  '@@ -40,2 +41,3 @@',
  ' function far() {}',
  '+--- looks like a header but is an added line',
  ' export { far };',
  'diff --git a/src/b.ts b/src/b.ts',
  '--- a/src/b.ts',
  '+++ b/src/b.ts',
  '@@ -1 +1 @@',
  '-old',
  '+new',
].join('\n');

describe('buildRepairPrompt', () => {
  it('formats one line per finding, grouped by file and sorted by line, without repeating the validator', () => {
    const out = buildRepairPrompt({
      iteration: 2,
      findings: [f('src/b.ts', 9), f('src/a.ts', 7, { validator: 'imports', rule: 'imports/undeclared', suggestion: 'use zod' }), f('src/a.ts', 2)],
    });
    expect(out).toContain('Iteration 2');
    const body = out.slice(out.indexOf('## '));
    expect(body.split('\n')).toEqual([
      '## src/a.ts',
      'src/a.ts:2:3 [types/TS2322] problem at 2',
      'src/a.ts:7:3 [imports/undeclared] problem at 7 (fix: use zod)',
      '## src/b.ts',
      'src/b.ts:9:3 [types/TS2322] problem at 9',
    ]);
  });

  it('deduplicates and caps, saying how many were cut and keeping errors of cheaper validators first', () => {
    const many = Array.from({ length: 30 }, (_, i) => f('src/a.ts', i + 1, { validator: 'style', rule: 'style/naming', severity: 'warning' }));
    const syntax = f('src/z.ts', 50, { validator: 'syntax', rule: 'TS1005' });
    const out = buildRepairPrompt({ iteration: 1, findings: [...many, syntax, syntax], maxFindings: 5 });
    expect(out.match(/src\/z\.ts:50:3 \[syntax\/TS1005\]/g)).toHaveLength(1);
    expect(out).toContain('(26 more finding(s) not shown; fix these first)');
    expect(out).toContain('(warning)');
  });

  it('includes only the diff hunks near the findings, and says what it left out', () => {
    const out = buildRepairPrompt({ iteration: 1, findings: [f('src/a.ts', 2)], diff: DIFF });
    expect(out).toContain('+const b: number = "x";');
    expect(out).not.toContain('function far');
    expect(out).not.toContain('+new');
    expect(out).toContain('(2 other hunk(s) of the diff not shown)');
  });

  it('caps the diff excerpt at maxDiffLines', () => {
    const big = ['--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,0 +1,300 @@', ...Array.from({ length: 300 }, (_, i) => `+line ${i}`)].join('\n');
    const excerpt = diffExcerpt(big, [f('src/a.ts', 5)], 40);
    expect(excerpt.split('\n').length).toBeLessThanOrEqual(41);
  });
});

describe('parseHunks', () => {
  it('uses hunk counts, so an added line starting with "---" stays inside its hunk', () => {
    const hunks = parseHunks(DIFF);
    expect(hunks.map((h) => [h.file, h.newStart, h.newLen, h.lines.length])).toEqual([
      ['src/a.ts', 1, 3, 4],
      ['src/a.ts', 41, 3, 4],
      ['src/b.ts', 1, 1, 3],
    ]);
  });
});

it('formatFinding keeps whole-file findings readable', () => {
  expect(formatFinding(f('src/a.ts', 0, { validator: 'completeness', rule: 'completeness/max-tokens', column: 0, message: 'cut off' }))).toBe('src/a.ts:0:0 [completeness/max-tokens] cut off');
});
