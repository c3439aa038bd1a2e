/**
 * The types validator uses the repository's own TypeScript ("use workspace version"), so a tsc 5.x
 * repository without a `types` field is not told that `crypto` is missing (TypeScript 6.0, bundled
 * in ts-morph, defaults `types` to []); the bundled one is the fallback when the repository has
 * none, and every finding says which one answered.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { MAIN_ROOT, TSCONFIG, copyPackage, git, makeRepo } from './support/fixture-repo.ts';

/** tsc 5.x-era config: no `types` field, so @types/* are included automatically (before 6.0). */
const TSCONFIG_NO_TYPES = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true }, include: ['src/**/*.ts'] });
const HASH = "import { createHash } from 'crypto';\nexport const digest = (s: string): string => createHash('sha1').update(s).digest('hex');\n";

/** A repo whose node_modules holds @types/node, and typescript only when `ownTs`. */
function repoWith(ownTs: boolean): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-validate-'));
  mkdirSync(path.join(root, 'node_modules/@types'), { recursive: true });
  copyPackage(root, '@types/node');
  copyPackage(root, 'undici-types');
  if (ownTs) copyPackage(root, 'typescript');
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  writeFileSync(path.join(root, 'tsconfig.json'), TSCONFIG_NO_TYPES);
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
  git(root, 'init', '-q', '-b', 'base');
  git(root, 'add', 'package.json', 'tsconfig.json', 'src');
  git(root, 'commit', '-qm', 'base');
  return root;
}

const only = (keep: string) => (['syntax', 'completeness', 'imports', 'types', 'lint', 'style', 'security'] as const).filter((v) => v !== keep);

describe.runIf(existsSync('/usr/bin/bwrap'))('workspace TypeScript', () => {
  it("uses the repository's tsc 5.x: a new `crypto` import is fine, a real type error is still found", async () => {
    const root = repoWith(true);
    try {
      const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
      const p = createValidationPipeline({ root, baseRef: 'base', sandbox, disable: only('types') });
      writeFileSync(path.join(root, 'src/hash.ts'), HASH);
      expect((await p.run(['src/hash.ts'])).findings).toEqual([]);
      writeFileSync(path.join(root, 'src/hash.ts'), `${HASH}export const n: number = digest('x');\n`);
      const r = await p.run(['src/hash.ts']);
      p.dispose();
      expect(r.findings.map((f) => [f.rule, f.line, f.source])).toEqual([['TS2322', 3, expect.stringMatching(/^typescript 5\.\d+\.\d+ \(repository\), sandboxed$/)]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("leaves a missing named export to the repository's TypeScript: found once, with its own resolution", async () => {
    const root = repoWith(true);
    try {
      const p = createValidationPipeline({ root, baseRef: 'base', sandbox: createSandbox({ backend: 'bwrap', warn: () => undefined }), disable: ['lint', 'style', 'security'] });
      writeFileSync(path.join(root, 'src/b.ts'), "import { a, nope } from './a.js';\nexport const b = [a, nope];\n");
      const r = await p.run(['src/b.ts']);
      p.dispose();
      expect(r.ran).toEqual(expect.arrayContaining(['imports', 'types']));
      expect(r.findings.map((f) => [f.validator, f.rule, f.line])).toEqual([['types', 'TS2305', 1]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('falls back to the bundled TypeScript when the repository has none, and says so', async () => {
    const root = repoWith(false);
    try {
      const p = createValidationPipeline({ root, baseRef: 'base', sandbox: createSandbox({ backend: 'bwrap', warn: () => undefined }), disable: only('types') });
      writeFileSync(path.join(root, 'src/hash.ts'), `${HASH}export const n: number = digest('x');\n`);
      const r = await p.run(['src/hash.ts']);
      p.dispose();
      expect(r.findings.find((f) => f.rule === 'TS2322')?.source).toMatch(/^typescript 6\.\d+\.\d+ \(bundled with ts-morph: the repository has none\), host$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("re-checks callers when a touched file's exports change, and keeps reporting their errors across body-only edits", async () => {
    const repo = makeRepo({
      'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG,
      'src/lib.ts': 'export function f(a: number): number {\n  return a;\n}\n',
      'src/use.ts': "import { f } from './lib.ts';\nexport const x: number = f(1);\n",
    });
    try {
      const p = createValidationPipeline({ root: repo.root, baseRef: 'base', sandbox: createSandbox({ backend: 'bwrap', warn: () => undefined }), disable: only('types') });
      const at = async (lib: string) => (await p.run(repo.write({ 'src/lib.ts': lib }))).findings.map((f) => [f.file, f.rule, f.line]);
      expect(await at('export function f(a: number): string {\n  return String(a);\n}\n')).toEqual([['src/use.ts', 'TS2322', 2]]);
      expect(await at('export function f(a: number): string {\n  return `${a}`;\n}\n')).toEqual([['src/use.ts', 'TS2322', 2]]);
      expect(await at('export function f(a: number): number {\n  return a * 2;\n}\n')).toEqual([]);
      p.dispose();
    } finally {
      repo.cleanup();
    }
  });
});
