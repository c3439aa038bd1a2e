/** Import resolution: relative paths with TS extension rules, declared + installed packages, named exports, allowlist. */
import { afterAll, describe, expect, it } from 'vitest';
import { createImportsValidator, packageName, relativeCandidates } from '../../src/validate/imports.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const repo = makeRepo({
  'package.json': JSON.stringify({ name: 'imp', type: 'module', dependencies: { zod: '^4', 'left-pad-not-installed': '^1' }, devDependencies: { vitest: '^4' } }),
  'tsconfig.json': TSCONFIG,
  '.gitignore': 'dist/\n',
  'src/math.ts': 'export const add = (a: number, b: number) => a + b;\nexport type Pair = [number, number];\n',
  'src/util/index.ts': "export * from '../math.ts';\nexport function twice(n: number) { return n * 2; }\n",
});
afterAll(() => repo.cleanup());

// One warm workspace for all cases, as the pipeline keeps it: also checks that refresh picks up each rewrite.
const ws = new Workspace(repo.root, 'base');

async function check(text: string, allowImports?: string[]) {
  const touched = repo.write({ 'src/candidate.ts': text });
  ws.refresh(touched);
  return createImportsValidator(ws).validate({ root: repo.root, baseRef: 'base', touchedFiles: touched, allowImports });
}

describe('imports validator', () => {
  it('accepts .js→.ts, index files, re-exports, builtins, declared+installed packages and their real exports', async () => {
    const text = [
      "import { add, type Pair } from './math.js';",
      "import { twice, add as plus } from './util/index.ts';",
      "import { twice as t2 } from './util';",
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import { z } from 'zod';",
      "import { describe } from 'vitest';",
      "export { add } from './math.ts';",
      'export const x: Pair = [add(1, 2), plus(twice(1), t2(1))];',
      'void readFileSync; void path; void z; void describe;',
    ].join('\n');
    expect(await check(text)).toEqual([]);
  });

  it('flags a hallucinated package, a missing file, a declared-but-absent package and a missing export, each on its line', async () => {
    const text = [
      "import { TransformerModel } from 'advanced-ml/neural-nets';",
      "import { helper } from './helpers.js';",
      "import pad from 'left-pad-not-installed';",
      "import { subtract } from './math.ts';",
      "const lazy = await import('@acme/ghost');",
      "import { zodd } from 'zod';",
    ].join('\n');
    const found = await check(text);
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['imports/undeclared', 1],
      ['imports/unresolved', 2],
      ['imports/not-installed', 3],
      ['imports/missing-export', 4],
      ['imports/missing-export', 6],
      ['imports/undeclared', 5],
    ]);
    expect(found[0]!.message).toContain('"advanced-ml"');
    expect(found[0]!.suggestion).toContain('zod');
    expect(found[3]!.suggestion).toMatch(/add/);
  });

  it('an import into git-ignored build output is a warning (never blocking); a missing source file stays an error', async () => {
    const found = await check("import { x } from '../dist/index.mjs';\nimport { y } from './nowhere.js';\nvoid x; void y;");
    expect(found.map((f) => [f.rule, f.severity, f.line])).toEqual([
      ['imports/unbuilt', 'warning', 1],
      ['imports/unresolved', 'error', 2],
    ]);
  });

  it('with an allowlist, rejects any other bare specifier (even a declared one)', async () => {
    const found = await check("import { z } from 'zod';\nimport { it } from 'vitest';\nimport fs from 'node:fs';\nvoid z; void it; void fs;", ['zod']);
    expect(found.map((f) => [f.rule, f.line])).toEqual([['imports/not-allowed', 2]]);
  });
});

describe('helpers', () => {
  it('packageName keeps scopes', () => {
    expect([packageName('@a/b/c'), packageName('a/b'), packageName('a')]).toEqual(['@a/b', 'a', 'a']);
  });
  it('relativeCandidates tries the .js→.ts swap before appending extensions', () => {
    expect(relativeCandidates('/r/x.js').slice(0, 3)).toEqual(['/r/x.js', '/r/x.ts', '/r/x.tsx']);
  });
});
