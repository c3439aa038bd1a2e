import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runIsolatedChecks, runIsolatedSnippet } from '../../src/sandbox/isolate.ts';

const fixture = (name: string): string => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
const limits = { memoryLimitMb: 32, timeoutMs: 1000 };

describe('runIsolatedChecks', () => {
  it('bundles the module with its imports and reports each check', async () => {
    const r = await runIsolatedChecks({
      entry: fixture('slug.ts'),
      checks: `
        check('slugify', () => expect(mod.slugify('  Hello World ')).toBe('hello-world'));
        check('deep equal', () => expect([mod.divide(1, 4), { a: [1] }]).toEqual([0.25, { a: [1] }]));
        check('throws', () => expect(() => mod.divide(1, 0)).toThrow(/zero/));
        check('close', () => expect(mod.divide(1, 3)).toBeCloseTo(0.333, 3));
        check('contain + truthy', () => { expect('abc').toContain('b'); expect(1).toBeTruthy(); expect(0).not.toBeTruthy(); });
        check('wrong', () => expect(mod.slugify('A B')).toBe('a_b'));
      `,
      ...limits,
    });
    expect(r.reason).toBe('ok');
    expect(r.checks.map((c) => [c.name, c.passed])).toEqual([
      ['slugify', true],
      ['deep equal', true],
      ['throws', true],
      ['close', true],
      ['contain + truthy', true],
      ['wrong', false],
    ]);
    expect(r.checks[5]!.message).toBe('expected "a-b" to be "a_b"');
  });

  it('refuses modules that import Node builtins, naming the builtin', async () => {
    const r = await runIsolatedChecks({ entry: fixture('uses-fs.ts'), checks: '', ...limits });
    expect(r.reason).toBe('error');
    expect(r.error).toMatch(/node:fs.*not available in isolated checks/);
  });

  it('the time limit holds: an endless loop ends with reason timeout', async () => {
    const r = await runIsolatedChecks({ entry: fixture('slug.ts'), checks: `check('spin', () => { while (true) {} });`, memoryLimitMb: 32, timeoutMs: 200 });
    expect(r.reason).toBe('timeout');
    expect(r.checks).toEqual([]);
  });

  it('the memory limit holds: allocation past it ends with reason limit:memory', async () => {
    const r = await runIsolatedChecks({
      entry: fixture('slug.ts'),
      checks: `check('hog', () => { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); });`,
      memoryLimitMb: 32,
      timeoutMs: 10_000,
    });
    expect(r.reason).toBe('limit:memory');
  });
});

describe('runIsolatedSnippet', () => {
  it('returns the value of the last expression and has no host access', async () => {
    expect((await runIsolatedSnippet('[1, 2].map((x) => x * 2)', limits)).value).toEqual([2, 4]);
    const r = await runIsolatedSnippet('[typeof require, typeof process, typeof fetch].join()', limits);
    expect(r.value).toBe('undefined,undefined,undefined');
  });

  it('reports errors thrown by the snippet', async () => {
    const r = await runIsolatedSnippet('throw new TypeError("nope")', limits);
    expect(r.reason).toBe('error');
    expect(r.error).toContain('nope');
  });
});
