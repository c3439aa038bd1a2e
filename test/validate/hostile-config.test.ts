/**
 * Repository code loaded by validation runs in the sandbox, not in patchloop's process: a hostile
 * `eslint.config.js`, `prettier.config.js` or `node_modules/typescript` cannot read the user's API
 * key nor write outside the worktree, while real findings of a benign config still come back. A
 * worker that dies is replaced (one retry inside the same validation).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { MAIN_ROOT, TSCONFIG, copyPackage, git, makeRepo } from './support/fixture-repo.ts';

const KEY = 'sk-ant-hostile-config-test-0000';
const outside = mkdtempSync(path.join(os.tmpdir(), 'patchloop-outside-'));
const saved = process.env.ANTHROPIC_API_KEY;
beforeAll(() => {
  process.env.ANTHROPIC_API_KEY = KEY;
});
afterAll(() => {
  if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = saved;
  rmSync(outside, { recursive: true, force: true });
});

/** JS that records what it could see and reach: `<name>.seen` in the worktree, an attempt outside it. */
const spy = (name: string) => `
import fs from 'node:fs';
const seen = { key: process.env.ANTHROPIC_API_KEY ?? null, envNames: Object.keys(process.env).sort() };
try { fs.writeFileSync(${JSON.stringify(path.join(outside, `${name}.leak`))}, String(seen.key)); seen.outside = 'written'; } catch (e) { seen.outside = e.code; }
fs.writeFileSync(new URL('./${name}.seen', import.meta.url), JSON.stringify(seen));
`;

const ESLINT = `${spy('eslint')}
import tseslint from 'typescript-eslint';
export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error' } }];
`;
const PRETTIER = `${spy('prettier')}
export default { singleQuote: true };
`;

const bwrap = existsSync('/usr/bin/bwrap');
const only = (keep: string[]) => (['syntax', 'completeness', 'imports', 'types', 'lint', 'style', 'security'] as const).filter((v) => !keep.includes(v));

describe.runIf(bwrap)('hostile repository config', () => {
  it('an eslint.config.js and a prettier.config.js run sandboxed: no key, no write outside; findings still come back', async () => {
    const repo = makeRepo({ 'package.json': '{"type":"module"}', 'eslint.config.js': ESLINT, 'prettier.config.js': PRETTIER, 'src/a.ts': 'export const a = 1;\n' });
    try {
      const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
      const p = createValidationPipeline({ root: repo.root, baseRef: 'base', sandbox, disable: only(['syntax', 'lint', 'style']) });
      const r = await p.run(repo.write({ 'src/a.ts': 'export const a = 1;\nexport function f(): number {\n  let b = "x";\n  return b.length;\n}\n' }));
      p.dispose();
      expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['prefer-const', 3], ['style/prettier', 3]]);
      for (const name of ['eslint', 'prettier']) {
        const seen = JSON.parse(readFileSync(path.join(repo.root, `${name}.seen`), 'utf8')) as { key: string | null; envNames: string[]; outside: string };
        expect(seen.key).toBeNull();
        expect(seen.envNames.filter((n) => /KEY|TOKEN|SECRET/.test(n))).toEqual([]);
        expect(seen.outside).toMatch(/^E(ROFS|ACCES|NOENT|PERM)$/);
        expect(existsSync(path.join(outside, `${name}.leak`))).toBe(false);
      }
    } finally {
      repo.cleanup();
    }
  });

  it("the repository's own node_modules/typescript is loaded in the sandbox too", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-validate-'));
    try {
      const nm = path.join(root, 'node_modules');
      mkdirSync(path.join(nm, 'typescript'), { recursive: true });
      copyPackage(root, '@types/node');
      copyPackage(root, 'undici-types');
      copyPackage(root, 'typescript', 'typescript-real');
      writeFileSync(path.join(nm, 'typescript/package.json'), JSON.stringify({ name: 'typescript', version: '5.9.3', main: 'index.js' }));
      writeFileSync(
        path.join(nm, 'typescript/index.js'),
        `const fs = require('node:fs');\nfs.writeFileSync(${JSON.stringify(path.join(root, 'ts.seen'))}, String(process.env.ANTHROPIC_API_KEY ?? null));\nmodule.exports = require('../typescript-real');\n`,
      );
      writeFileSync(path.join(root, 'tsconfig.json'), TSCONFIG);
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
      git(root, 'init', '-q', '-b', 'base');
      git(root, 'add', 'src', 'tsconfig.json');
      git(root, 'commit', '-qm', 'base');
      writeFileSync(path.join(root, 'src/a.ts'), 'export const a: string = 1;\n');
      const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
      const p = createValidationPipeline({ root, baseRef: 'base', sandbox, disable: only(['types']) });
      const r = await p.run(['src/a.ts']);
      p.dispose();
      expect(r.findings.map((f) => [f.rule, f.line, f.source])).toEqual([['TS2322', 1, 'typescript 5.9.3 (repository), sandboxed']]);
      expect(readFileSync(path.join(root, 'ts.seen'), 'utf8')).toBe('null');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a worker that dies is replaced within the same validation', async () => {
    // The config kills its process the first time it loads (marker absent), then behaves.
    const crashOnce = `import fs from 'node:fs';\nconst marker = new URL('./crashed-once', import.meta.url);\nif (!fs.existsSync(marker)) { fs.writeFileSync(marker, '1'); process.exit(3); }\n${ESLINT.replace(spy('eslint'), '')}`;
    const repo = makeRepo({ 'package.json': '{"type":"module"}', 'eslint.config.js': crashOnce, 'src/a.ts': 'export const a = 1;\n' });
    try {
      const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
      const p = createValidationPipeline({ root: repo.root, baseRef: 'base', sandbox, disable: only(['lint']) });
      const r = await p.run(repo.write({ 'src/a.ts': 'export function f(): number {\n  let b = 2;\n  return b;\n}\n' }));
      p.dispose();
      expect(r.skipped.filter((s) => s.validator === 'lint')).toEqual([]);
      expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['prefer-const', 2]]);
      expect(existsSync(path.join(repo.root, 'crashed-once'))).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
