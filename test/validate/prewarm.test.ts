/**
 * `prewarm` (called at run start) loads the repository's ESLint config and TypeScript program in the
 * sandboxed workers before the first validation, which then reuses them: the config runs once per
 * run, not once per validation.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { packageDirs } from '../../src/validate/sandboxed/prewarm.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

// Appends one line per load of the config to loads.log in the worktree (writable in the sandbox).
const COUNTING_CONFIG = `import fs from 'node:fs';
fs.appendFileSync(new URL('./loads.log', import.meta.url), 'load\\n');
import tseslint from 'typescript-eslint';
export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error' } }];
`;

describe.runIf(existsSync('/usr/bin/bwrap'))('prewarm', () => {
  it('loads the ESLint config before the first validation; validations reuse it', async () => {
    const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG, 'eslint.config.js': COUNTING_CONFIG, 'src/a.ts': 'export const a = 1;\n' });
    try {
      const p = createValidationPipeline({ root: repo.root, baseRef: 'base', sandbox: createSandbox({ backend: 'bwrap', warn: () => undefined }), disable: ['style', 'security'] });
      await p.prewarm();
      const loads = () => readFileSync(path.join(repo.root, 'loads.log'), 'utf8').split('\n').filter(Boolean).length;
      expect(loads()).toBe(1);
      for (const n of [1, 2, 3]) {
        const r = await p.run(repo.write({ 'src/a.ts': `export function f(): number {\n  let b = ${n};\n  return b;\n}\n` }));
        expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['prefer-const', 2]]);
      }
      expect(loads()).toBe(1);
      p.dispose();
    } finally {
      repo.cleanup();
    }
  });

  it('packageDirs: the root, then workspace packages (literal and dir/*), nothing outside the repository', () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ workspaces: ['packages/*', 'tools/cli', '../outside', '/abs'] }),
      'packages/a/package.json': '{}', 'packages/b/package.json': '{}', 'tools/cli/package.json': '{}',
    });
    try {
      expect(packageDirs(repo.root)).toEqual(['', 'packages/a', 'packages/b', 'tools/cli']);
    } finally {
      repo.cleanup();
    }
  });
});
