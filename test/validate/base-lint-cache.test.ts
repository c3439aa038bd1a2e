/**
 * Base lint findings are computed once per run (issue 13: warm validation ≤ 300 ms), and the cache
 * changes no finding: a long-lived pipeline reports, edit after edit, exactly what a fresh pipeline
 * (nothing cached) reports for the same working tree — for the repository's lint rules and for the
 * security rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import type { Finding } from '../../src/validate/types.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

// `prefer-const` and `no-var` from the config, plus a rule that logs the length of every text it lints
// to lints.log (the worktree is writable in the sandbox), so the test sees which texts were linted.
const CONFIG = `import fs from 'node:fs';
import tseslint from 'typescript-eslint';
const log = new URL('./lints.log', import.meta.url);
const counting = { rules: { seen: { create(context) { fs.appendFileSync(log, context.sourceCode.text.length + '\\n'); return {}; } } } };
export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { counting }, rules: { 'prefer-const': 'error', 'no-var': 'error', 'counting/seen': 'error' } }];
`;
// The base already breaks prefer-const and a security rule: only what an edit adds is new.
const BASE = 'export function total(xs: number[]): number {\n  let sum = 0;\n  for (const x of xs) sum += x;\n  let unused = 1;\n  return sum + unused + eval("0");\n}\n';
const EDITS: Record<string, string>[] = [
  { 'src/a.ts': `${BASE}export function first(xs: number[]): number {\n  let head = xs[0] ?? 0;\n  return head;\n}\n` },
  { 'src/a.ts': `${BASE}export function last(xs: number[]): number {\n  var tail = xs.at(-1) ?? 0;\n  return tail + eval("1");\n}\n` },
  { 'src/a.ts': `${BASE}export const two = (): number => {\n  let n = 2;\n  return n;\n};\n`, 'src/b.ts': 'export function b(): number {\n  let k = 3;\n  return k;\n}\n' },
];
const ONLY_LINT_AND_SECURITY = ['completeness', 'imports', 'types', 'style'] as const;
const shape = (fs: Finding[]) => fs.map((f) => [f.validator, f.file, f.line, f.rule, f.message].join(' ')).sort();

describe('base lint cache', () => {
  const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG, 'eslint.config.js': CONFIG, 'src/a.ts': BASE });
  afterAll(() => repo.cleanup());

  it('a long-lived pipeline reports what a fresh one reports, and lints the base text once', async () => {
    const warm = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: [...ONLY_LINT_AND_SECURITY] });
    const touched = new Set<string>();
    try {
      for (const edit of EDITS) {
        for (const f of repo.write(edit)) touched.add(f);
        const got = await warm.run([...touched]);
        const fresh = createValidationPipeline({ root: repo.root, baseRef: 'base', disable: [...ONLY_LINT_AND_SECURITY] });
        const want = await fresh.run([...touched]).finally(() => fresh.dispose());
        expect(got.ran).toEqual(expect.arrayContaining(['lint', 'security']));
        expect(shape(got.findings)).toEqual(shape(want.findings));
      }
      // The last edit: the new prefer-const findings in both files, not the base's `let unused`.
      const last = await warm.run([...touched]);
      expect(last.findings.filter((f) => f.validator === 'lint').map((f) => [f.file, f.line, f.rule]).sort()).toEqual([
        ['src/a.ts', 8, 'prefer-const'],
        ['src/b.ts', 2, 'prefer-const'],
      ]);
    } finally {
      warm.dispose();
    }
    // Lints of a.ts's base text by the long-lived pipeline: edit 1, and edit 3 (b.ts changed too,
    // which type-aware rules could read), not edit 2 nor the repeat; plus one by each fresh pipeline.
    const lints = readFileSync(path.join(repo.root, 'lints.log'), 'utf8').split('\n').filter((l) => l === String(BASE.length));
    expect(lints.length).toBe(2 + EDITS.length);
  });
});
