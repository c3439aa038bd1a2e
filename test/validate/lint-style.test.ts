/**
 * Lint with the repository's own ESLint config (new findings only; skipped without a config or when
 * the edit changed the config), and style: Prettier on added lines, naming drift.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { classify, convert, prettierFinding } from '../../src/validate/style.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const ESLINT_CONFIG = "import tseslint from 'typescript-eslint';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error' } }];\n";
const OLD = 'export function total(xs: number[]): number {\n  let sum = 0;\n  for (const x of xs) sum += x;\n  let unused = 1;\n  return sum + unused;\n}\n';

describe('lint (repository config)', () => {
  const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG, 'eslint.config.js': ESLINT_CONFIG, 'src/a.ts': OLD });
  afterAll(() => repo.cleanup());
  const only = ['syntax', 'completeness', 'imports', 'types', 'style', 'security'] as const;

  it('reports only the new violation, with the config rule id', async () => {
    const p = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: only.filter((v) => v !== 'syntax') });
    const touched = repo.write({ 'src/a.ts': `${OLD}export function first(xs: number[]): number {\n  let head = xs[0] ?? 0;\n  return head;\n}\n` });
    const r = await p.run(touched);
    expect(r.ran).toContain('lint');
    expect(r.findings.map((f) => [f.validator, f.rule, f.line])).toEqual([['lint', 'prefer-const', 8]]);
  });

  it('without an isolating sandbox, refuses to load a config the edit changed (it would run model-written code)', async () => {
    const sandbox = await createSandbox({ backend: 'process', warn: () => undefined });
    const p = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: [...only], sandbox });
    const touched = repo.write({ 'eslint.config.js': `${ESLINT_CONFIG}// edited\n`, 'src/a.ts': OLD });
    const r = await p.run(touched);
    p.dispose();
    expect(r.ran).not.toContain('lint');
    expect(r.skipped).toContainEqual({ validator: 'lint', reason: expect.stringMatching(/eslint\.config\.js differs from base/) });
    repo.write({ 'eslint.config.js': ESLINT_CONFIG });
  });

  it.runIf(existsSync('/usr/bin/bwrap'))('inside bwrap, loads the edited config in the sandbox and applies its rules', async () => {
    const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
    const p = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: [...only], sandbox });
    const edited = ESLINT_CONFIG.replace("'prefer-const': 'error'", "'prefer-const': 'error', 'no-var': 'error'");
    const touched = repo.write({ 'eslint.config.js': edited, 'src/a.ts': `${OLD}export var legacy = 1;\n` });
    const r = await p.run(touched);
    p.dispose();
    expect(r.ran).toContain('lint');
    expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['no-var', 7]]);
    expect(r.findings[0]!.source).toMatch(/^eslint \d+\.\d+\.\d+ \(repository\), sandboxed$/);
    repo.write({ 'eslint.config.js': ESLINT_CONFIG, 'src/a.ts': OLD });
  });

  it('is skipped with a reason when the repository has no ESLint config', async () => {
    const bare = makeRepo({ 'package.json': '{"type":"module"}', 'src/a.ts': 'export const a = 1;\n' });
    try {
      const r = await createValidationPipeline({ root: bare.root, baseRef: 'base' }).run(bare.write({ 'src/a.ts': 'export const a = 2;\n' }));
      expect(r.skipped).toContainEqual({ validator: 'lint', reason: expect.stringMatching(/no ESLint flat config/) });
      expect(r.skipped).toContainEqual({ validator: 'style', reason: expect.stringMatching(/prettier part: no Prettier config/) });
      expect(r.ran).toContain('style');
    } finally {
      bare.cleanup();
    }
  });
});

describe('style', () => {
  const SNAKE = 'export function load_rows(row_count: number): number[] {\n  const out_rows: number[] = [];\n  return out_rows.slice(0, row_count);\n}\n';
  const repo = makeRepo({ 'package.json': '{"type":"module"}', '.prettierrc': '{ "singleQuote": true }\n', 'src/snake.ts': SNAKE, 'src/messy.ts': 'export const a   =  1\n' });
  afterAll(() => repo.cleanup());
  const run = async (files: Record<string, string>) =>
    (await createValidationPipeline({ root: repo.root, baseRef: 'base', disable: ['lint', 'security', 'types'] }).run(repo.write(files))).findings;

  it('follows the file: camelCase is drift in a snake_case file; types must be PascalCase', async () => {
    const found = await run({ 'src/snake.ts': `${SNAKE}export function saveRows(rows: number[]): void {\n  void rows;\n}\nexport interface row_shape {\n  id: number;\n}\n` });
    expect(found.map((f) => [f.rule, f.line, f.suggestion])).toEqual([
      ['style/naming', 5, 'rename to save_rows (and its uses)'],
      ['style/naming', 8, 'rename to RowShape (and its uses)'],
    ]);
  });

  it('blames only added lines for formatting, not the unformatted code already there, as a warning (never blocking)', async () => {
    const found = await run({ 'src/messy.ts': "export const a   =  1\nexport const b = \"two\";\nexport const c = 'three';\n" });
    expect(found.map((f) => [f.rule, f.line, f.suggestion, f.severity])).toEqual([['style/prettier', 2, `write it as "export const b = 'two';"`, 'warning']]);
  });

  it('classify / convert', () => {
    expect(['calculateUserAge', 'calculate_user_age', 'UserAge', 'MAX_AGE', 'age', '_private'].map(classify)).toEqual(['camelCase', 'snake_case', 'PascalCase', 'UPPER_CASE', 'lower', 'lower']);
    expect(convert('calculate_user_age', 'camelCase')).toBe('calculateUserAge');
    expect(convert('saveRows', 'snake_case')).toBe('save_rows');
  });

  it('prettierFinding reports the first changed added line only', () => {
    const text = 'a=1\nb = 2\nc=3\n';
    const formatted = 'a = 1;\nb = 2;\nc = 3;\n';
    expect(prettierFinding('x.ts', text, formatted, new Set([3]))?.line).toBe(3);
    expect(prettierFinding('x.ts', 'ok;\n', 'ok;\n', new Set([1]))).toBeUndefined();
  });
});
