/** Totals per category and overall, the (a) gate and results.jsonl round trip, from a fixed set of results. */
import { describe, expect, it } from 'vitest';
import { unresolvedWhy, gateExitCode, parseResultsJsonl, parseThreshold, summarize, toResultsJsonl } from '../../src/eval/report-summary.ts';
import { RESULTS } from './fixtures.ts';

describe('summarize', () => {
  const s = summarize(RESULTS);
  const cat = (name: string) => s.categories.find((g) => g.name === name)!;

  it('orders categories like the schema and counts resolved per category', () => {
    expect(s.categories.map((g) => g.name)).toEqual(['completion', 'refactor', 'bugfix', 'testgen', 'review']);
    expect(cat('bugfix')).toMatchObject({ tasks: 2, resolved: 1, resolvedRate: 0.5 });
    expect(s.overall).toMatchObject({ tasks: 7, resolved: 4 });
    expect(s.overall.resolvedRate).toBeCloseTo(4 / 7);
  });

  it('computes style over checked results only and explanation over tasks that asked', () => {
    expect(s.overall.styleChecked).toBe(5);
    expect(s.overall.styleRate).toBeCloseTo(4 / 5);
    expect(cat('bugfix').explanationRate).toBe(0.5);
    expect(cat('refactor').explanationRate).toBeNull();
  });

  it('sums USD and divides by resolved; null when nothing resolved', () => {
    expect(s.overall.usd).toBeCloseTo(0.115);
    expect(s.overall.usdPerResolved).toBeCloseTo(0.115 / 4);
    expect(cat('completion').usdPerResolved).toBeNull();
  });

  it('pools mutants (killed / planted) and review recall; precision is the mean', () => {
    expect(cat('testgen').mutationScore).toBeCloseTo(4 / 7);
    expect(cat('review').reviewRecall).toBe(1);
    expect(cat('review').reviewPrecision).toBeCloseTo(2 / 3);
    expect(cat('bugfix').mutationScore).toBeNull();
  });

  it('sums the token split', () => {
    expect(s.overall.usage).toEqual({ inputTokens: 6000, outputTokens: 1500, cacheReadTokens: 4000, cacheWriteTokens: 1000 });
  });
});

describe('gate', () => {
  const s = summarize(RESULTS); // 4/7 = 57%
  it('exits 1 below the threshold and 0 at or above it', () => {
    expect(gateExitCode(s, 0.85)).toBe(1);
    expect(gateExitCode(s)).toBe(1);
    expect(gateExitCode(s, 4 / 7)).toBe(0);
    expect(gateExitCode(s, 0.5)).toBe(0);
  });
  it('fails an empty run', () => expect(gateExitCode(summarize([]), 0)).toBe(1));
  it('parses rates and percentages, rejects nonsense with the fix', () => {
    expect(parseThreshold('0.85')).toBe(0.85);
    expect(parseThreshold('85%')).toBe(0.85);
    expect(parseThreshold('90')).toBe(0.9);
    expect(() => parseThreshold('abc')).toThrow(/--threshold abc: expected a rate between 0 and 1/);
    expect(() => parseThreshold('150')).toThrow(/--threshold 150/);
  });
});

describe('results.jsonl', () => {
  it('writes one result per line and reads them back', () => {
    const text = toResultsJsonl(RESULTS);
    expect(text.trim().split('\n')).toHaveLength(RESULTS.length);
    expect(parseResultsJsonl(text, 'r.jsonl')).toEqual(RESULTS);
  });
  it('drops the per-test list of hidden scores', () => {
    const hidden = { passed: true, failToPass: [{ id: 'a::b', passed: true }], passToPass: [], missing: [], tests: [{ id: 'a::b', file: 'a', fullName: 'b', status: 'passed' as const }] };
    const line = JSON.parse(toResultsJsonl([{ ...RESULTS[0]!, hidden }]));
    expect(line.hidden.tests).toEqual([]);
    expect(line.hidden.failToPass).toEqual(hidden.failToPass);
  });
  it('names the file and line of a bad line', () => {
    expect(() => parseResultsJsonl('{"id":"x"}\n', 'run/results.jsonl')).toThrow(/run\/results.jsonl:1: missing category, resolved, usd, usage/);
    expect(() => parseResultsJsonl('\nnot json', 'r.jsonl')).toThrow(/r.jsonl:2: not valid JSON/);
  });
});

describe('unresolvedWhy', () => {
  it('names the loop status, or the scorer that refused a resolved loop', () => {
    expect(unresolvedWhy(RESULTS[0]!)).toBe('');
    expect(unresolvedWhy(RESULTS[1]!)).toBe('failed: repair exhausted | pipes');
    expect(unresolvedWhy(RESULTS[4]!)).toBe('mutants killed 1/4');
    const hidden = { passed: false, failToPass: [{ id: 'a::x', passed: false }], passToPass: [{ id: 'a::y', passed: true }], missing: ['a::x'], tests: [] };
    expect(unresolvedWhy({ ...RESULTS[2]!, resolved: false, hidden })).toBe('hidden tests fail (1): a::x (1 never reported)');
  });
});
