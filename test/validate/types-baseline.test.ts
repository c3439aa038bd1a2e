/**
 * Type-checking with the repository's own tsconfig reports only NEW errors: a repo with existing
 * errors does not drown the model, a broken caller in an untouched file is reported, and the warm
 * pipeline sees each iteration's edits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const LEGACY = "export const broken: number = 'three';\nexport function area(w: number, h: number): number {\n  return w * h;\n}\n";

describe('types validator (new errors only)', () => {
  const repo = makeRepo({
    'package.json': '{"type":"module"}',
    'tsconfig.json': TSCONFIG,
    'src/geo.ts': LEGACY,
    'src/use.ts': "import { area } from './geo.ts';\nexport const a: number = area(2, 3);\n",
  });
  afterAll(() => repo.cleanup());
  const pipeline = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: ['lint', 'style', 'security'], autoFix: false });
  afterAll(() => pipeline.dispose());

  it('ignores the error that was already at base', async () => {
    const touched = repo.write({ 'src/geo.ts': `${LEGACY}export const perimeter = (w: number, h: number): number => 2 * (w + h);\n` });
    const r = await pipeline.run(touched);
    expect(r.findings).toEqual([]);
    expect(r.ran).toContain('types');
  });

  it('reports a new error on its line, next to the old one (same warm pipeline)', async () => {
    const touched = repo.write({ 'src/geo.ts': `${LEGACY}export const label: number = 'x';\n` });
    const r = await pipeline.run(touched);
    expect(r.findings.map((f) => [f.file, f.rule, f.line])).toEqual([['src/geo.ts', 'TS2322', 5]]);
    expect(r.findings[0]!.message).toBe("Type 'string' is not assignable to type 'number'.");
  });

  it('reports a caller the edit broke in a file it did not touch', async () => {
    const touched = repo.write({ 'src/geo.ts': LEGACY.replace('area(w: number, h: number): number', 'area(w: number, h: number): string').replace('return w * h;', 'return String(w * h);') });
    const r = await pipeline.run(touched);
    expect(r.findings.map((f) => [f.file, f.rule, f.line])).toEqual([['src/use.ts', 'TS2322', 2]]);
  });
});

describe('deterministic repair (TS code fixes, zero tokens)', () => {
  const repo = makeRepo({
    'package.json': '{"type":"module"}',
    'tsconfig.json': TSCONFIG,
    'src/math.ts': 'export function clamp(n: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, n));\n}\n',
    'src/fetcher.ts': 'export async function fetchCount(): Promise<number> {\n  return 3;\n}\n',
    'src/dup-a.ts': 'export const shared = 1;\n',
    'src/dup-b.ts': 'export const shared = 2;\n',
  });
  afterAll(() => repo.cleanup());
  const run = async (files: Record<string, string>, opts: { autoFix?: boolean } = {}) => {
    const pipeline = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: ['lint', 'style', 'security'] });
    const touched = repo.write(files);
    try {
      return await pipeline.run(touched, opts);
    } finally {
      pipeline.dispose();
    }
  };

  it('adds a missing import, fixes a misspelling and a missing await, then re-validates clean', async () => {
    const r = await run({
      'src/use.ts': [
        "import { fetchCount } from './fetcher.ts';",
        'export const bounded = clamp(5, 0, 3);',
        'export async function doubled(): Promise<number> {',
        '  const count = fetchCount();',
        '  const factor = 2;',
        '  return count * factr;',
        '}',
        '',
      ].join('\n'),
    });
    expect(r.findings).toEqual([]);
    expect(r.autoFixes.map((f) => f.fix.split(':')[0]).sort()).toEqual(['addMissingAwait', 'fixMissingImport', 'fixSpelling']);
    expect(r.autoFixes.every((f) => f.file === 'src/use.ts' && f.diff.includes('+++'))).toBe(true);
    const { readFileSync } = await import('node:fs');
    const fixed = readFileSync(`${repo.root}/src/use.ts`, 'utf8');
    expect(fixed).toContain("import { clamp } from './math.ts'");
    expect(fixed).toContain('await fetchCount()');
    expect(fixed).toContain('count * factor');
  });

  it('a dry run (autoFix: false, as an early validation) writes nothing and reports the type findings', async () => {
    const text = 'export const z = clamp(5, 0, 3);\n';
    const r = await run({ 'src/dry.ts': text }, { autoFix: false });
    expect(r.autoFixes).toEqual([]);
    expect(r.findings.map((f) => [f.validator, f.rule])).toEqual([['types', 'TS2304']]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${repo.root}/src/dry.ts`, 'utf8')).toBe(text);
  });

  it('leaves an ambiguous import (two modules export the name) to the model', async () => {
    const r = await run({ 'src/amb.ts': 'export const y = shared + 1;\n' });
    expect(r.autoFixes).toEqual([]);
    expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['TS2304', 1]]);
  });
});

describe('pipeline input errors', () => {
  const repo = makeRepo({ 'package.json': '{"type":"module"}' });
  afterAll(() => repo.cleanup());

  it('rejects a touched path outside the worktree, naming it and the fix', async () => {
    const p = createValidationPipeline({ root: repo.root, baseRef: 'base' });
    await expect(p.run(['../etc/passwd'])).rejects.toThrow(/must be repo-relative.*\.\.\/etc\/passwd; pass paths relative/);
  });

  it('rejects a baseRef that is not a commit, naming the ref', async () => {
    const p = createValidationPipeline({ root: repo.root, baseRef: 'no-such-branch' });
    await expect(p.run([])).rejects.toThrow(/baseRef "no-such-branch" is not a commit/);
  });
});

describe('a crashing validator', () => {
  const repo = makeRepo({ 'package.json': '{"type":"module"}', 'eslint.config.js': 'throw new Error("config exploded");\n', 'src/a.ts': 'export const a = 1;\n' });
  afterAll(() => repo.cleanup());

  it('is reported as skipped with the reason, and the other validators still run', async () => {
    const r = await createValidationPipeline({ root: repo.root, baseRef: 'base' }).run(repo.write({ 'src/a.ts': 'export const a = 2;\n' }));
    expect(r.skipped).toContainEqual({ validator: 'lint', reason: expect.stringMatching(/config exploded/) });
    expect(r.ran).toEqual(['syntax', 'completeness', 'imports', 'types', 'style', 'security']);
  });
});
