/**
 * Validator 8 — tests: maps a sandbox `TestRunResult` into findings of the same shape as the other
 * validators, so the repair prompt treats a failing test like any other finding. The location is
 * the first stack frame outside node_modules (usually where the failure happened, which may be the
 * code under test rather than the test file), else the test file itself.
 */
import type { TestCaseResult, TestRunResult } from '../sandbox/types.ts';
import type { Finding } from './types.ts';

/** `(src/a.ts:12:5)`, `at src/a.ts:12:5`, `file:///abs/a.ts:12:5` → path, line, column. */
const FRAME = /(?:\(|\bat\s+|\s|^)(?:file:\/\/)?([^\s():]+\.[cm]?[jt]sx?):(\d+):(\d+)/;

/** The first useful location in a stack excerpt, or undefined. */
export function frameOf(stack: string | undefined): { file: string; line: number; column: number } | undefined {
  for (const raw of (stack ?? '').split('\n')) {
    if (raw.includes('node_modules') || raw.includes('node:internal')) continue;
    const m = FRAME.exec(raw);
    if (m) return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function toFinding(t: TestCaseResult): Finding {
  const where = frameOf(t.stack) ?? frameOf(t.message);
  const first = (t.message ?? 'failed').split('\n')[0]!.trim();
  return {
    validator: 'tests',
    file: where?.file ?? t.file,
    line: where?.line ?? 0,
    column: where?.column ?? 0,
    rule: 'tests/failed',
    message: `${t.fullName ? `"${t.fullName}" ` : ''}(${t.file}) ${first}`.trim(),
    severity: 'error',
    suggestion: 'fix the code under test, not the test',
  };
}

/** One finding per failing test case (synthetic failures included). A passing run gives []. */
export function testFindings(result: Pick<TestRunResult, 'failures' | 'tests'> & Partial<TestRunResult>): Finding[] {
  const failed = result.failures.length > 0 ? result.failures : result.tests.filter((t) => t.status === 'failed');
  return failed.map(toFinding);
}
