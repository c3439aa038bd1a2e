/**
 * The normalised failure set of a check, for the stuck detector: what failed, not how the failure
 * was worded this time. Test ids, validator rule ids and files only — messages, line numbers,
 * timings and stack traces change between attempts at the same failure and are left out.
 */
import type { Finding } from '../validate/types.ts';
import type { TestCaseResult } from '../sandbox/types.ts';

/**
 * Repairs in a row that may leave the same failure set before the run ends as `stuck` (default).
 * Three: one unchanged repair happens when the model's first idea was wrong, two when the second
 * was too; after a third the model is not converging and further iterations only spend budget.
 */
export const DEFAULT_STUCK_AFTER_REPAIRS = 3;

/** Sorted, de-duplicated items `test:<id>` and `rule:<rule>@<file>` (error findings only). */
export function failureItems(findings: Finding[], failures: TestCaseResult[]): string[] {
  const items = new Set<string>();
  for (const t of failures) items.add(`test:${t.id}`);
  for (const f of findings) if (f.severity === 'error') items.add(`rule:${f.rule}@${f.file}`);
  return [...items].sort();
}

/** One string per failure set: equal strings mean the same failures and findings. */
export function failureSetKey(findings: Finding[], failures: TestCaseResult[]): string {
  return JSON.stringify(failureItems(findings, failures));
}

/** The set for a person: `test:a.test.ts::adds, rule:types/TS2322@src/a.ts (+2 more)`. */
export function describeFailureSet(key: string, shown = 3): string {
  let items: string[] = [];
  try {
    items = JSON.parse(key) as string[];
  } catch {
    return key;
  }
  if (items.length === 0) return '(no failures listed)';
  const more = items.length > shown ? ` (+${items.length - shown} more)` : '';
  return items.slice(0, shown).join(', ') + more;
}
