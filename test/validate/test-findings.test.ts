/** Failing tests become findings located at the first stack frame outside node_modules. */
import { describe, expect, it } from 'vitest';
import type { TestRunResult } from '../../src/sandbox/types.ts';
import { frameOf, testFindings } from '../../src/validate/tests.ts';

const command: TestRunResult['command'] = { exitCode: 1, signal: null, reason: 'exit', output: '', bytesCut: 0, durationMs: 1, backend: 'process' };

describe('testFindings', () => {
  it('maps each failure to file:line of the first own frame, naming the test', () => {
    const result: TestRunResult = {
      passed: false,
      command,
      tests: [],
      failures: [
        { id: 'src/p.test.ts::paginate > last page', file: 'src/p.test.ts', fullName: 'paginate > last page', status: 'failed', message: 'AssertionError: expected 2 to be 3\nmore', stack: 'at node_modules/vitest/x.js:1:1\nat pageCount (src/paginate.ts:14:9)\nat src/p.test.ts:20:5' },
        { id: 'synthetic', file: 'src/q.test.ts', fullName: '', status: 'failed', message: 'Error: Transform failed' },
      ],
    };
    expect(testFindings(result)).toEqual([
      { validator: 'tests', file: 'src/paginate.ts', line: 14, column: 9, rule: 'tests/failed', severity: 'error', message: '"paginate > last page" (src/p.test.ts) AssertionError: expected 2 to be 3', suggestion: 'fix the code under test, not the test' },
      { validator: 'tests', file: 'src/q.test.ts', line: 0, column: 0, rule: 'tests/failed', severity: 'error', message: '(src/q.test.ts) Error: Transform failed', suggestion: 'fix the code under test, not the test' },
    ]);
  });

  it('returns nothing for a passing run', () => {
    expect(testFindings({ passed: true, command: { ...command, exitCode: 0 }, tests: [{ id: 'a::b', file: 'a', fullName: 'b', status: 'passed' }], failures: [] })).toEqual([]);
  });

  it('frameOf reads both "(path:l:c)" and "at path:l:c" forms and skips node internals', () => {
    expect(frameOf('at node:internal/x:1:1\n    at Object.<anonymous> (src/a.ts:3:7)')).toEqual({ file: 'src/a.ts', line: 3, column: 7 });
    expect(frameOf('at src/b.mts:10:2')).toEqual({ file: 'src/b.mts', line: 10, column: 2 });
    expect(frameOf(undefined)).toBeUndefined();
  });
});
