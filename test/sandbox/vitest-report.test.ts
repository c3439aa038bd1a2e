import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVitestJson, withVitestJsonReporter } from '../../src/sandbox/vitest-report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// A real vitest 4.1.12 JSON report (trimmed of timings) from a project at /tmp/pltiny.
const report = readFileSync(path.join(here, 'fixtures', 'vitest-report.json'), 'utf8');

describe('withVitestJsonReporter', () => {
  const out = '$TMPDIR/r.json';
  const flags = '--reporter=default --reporter=json --outputFile.json="$TMPDIR/r.json"';
  it('appends the JSON reporter to vitest invocations', () => {
    expect(withVitestJsonReporter('npx vitest run', out)).toBe(`npx vitest run ${flags}`);
    expect(withVitestJsonReporter('node node_modules/vitest/vitest.mjs run src', out)).toBe(`node node_modules/vitest/vitest.mjs run src ${flags}`);
  });
  it('targets the vitest segment of a chained command', () => {
    expect(withVitestJsonReporter('npm run build && vitest run --silent | tee log', out)).toBe(`npm run build && vitest run --silent ${flags} | tee log`);
  });
  it('leaves other commands, and ones that already ask for JSON, unchanged', () => {
    expect(withVitestJsonReporter('npm test', out)).toBe('npm test');
    expect(withVitestJsonReporter('jest --ci', out)).toBe('jest --ci');
    expect(withVitestJsonReporter('vitest run --reporter=json', out)).toBe('vitest run --reporter=json');
  });
  it('single-quotes an out file with shell metacharacters', () => {
    expect(withVitestJsonReporter('vitest run', "/tmp/a b'c.json")).toBe(`vitest run --reporter=default --reporter=json --outputFile.json='/tmp/a b'\\''c.json'`);
  });
});

describe('parseVitestJson', () => {
  const cases = parseVitestJson(report, '/tmp/pltiny');
  it('builds ids from the repo-relative file and the titles joined by " > "', () => {
    expect(cases.map((c) => [c.id, c.status])).toEqual([
      ['add.test.js::adds', 'passed'],
      ['src/math.test.js::math > sub > fails', 'failed'],
      ['src/math.test.js::math > sub > skipped', 'skipped'],
    ]);
  });
  it('keeps the message and a short repo-relative stack without node_modules frames', () => {
    const failed = cases[1]!;
    expect(failed.message).toBe('AssertionError: expected 1 to be 3 // Object.is equality');
    expect(failed.stack).toBe('at src/math.test.js:2:86');
  });
  it('reports a test file that failed to load as one failed case', () => {
    const r = parseVitestJson({ testResults: [{ name: '/r/a.test.ts', status: 'failed', message: 'SyntaxError: Unexpected token', assertionResults: [] }] }, '/r');
    expect(r).toEqual([{ id: 'a.test.ts::(file)', file: 'a.test.ts', fullName: '(file)', status: 'failed', message: 'SyntaxError: Unexpected token' }]);
  });
  it('rejects a report without testResults', () => {
    expect(() => parseVitestJson('{}', '/r')).toThrow(/no testResults/);
    expect(() => parseVitestJson('not json', '/r')).toThrow();
  });
});
