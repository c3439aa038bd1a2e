/**
 * A parse-only workspace (the repository type-checks with its own TypeScript in the sandboxed
 * worker): the host Project holds only the files validation asked for, and the syntax validator,
 * which parses one file alone, finds what the full project's program finds.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImportsValidator } from '../../src/validate/imports.ts';
import { createSyntaxValidator } from '../../src/validate/syntax.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const files = {
  'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG,
  'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'src/c.ts': 'export const c = 3;\n', 'src/d.js': 'export const d = 4;\n',
};
const syntax = async (ws: Workspace, touchedFiles: string[]) =>
  (await createSyntaxValidator(ws).validate({ root: ws.root, baseRef: 'base', touchedFiles })).map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`);

describe('a parse-only workspace', () => {
  it('parses only the touched files and reports the same syntax errors as a full one (TypeScript and JavaScript)', async () => {
    const repo = makeRepo(files);
    try {
      repo.write({ 'src/a.ts': 'export function f(: number {\n  return 1;\n}\n', 'src/d.js': 'export const d = (x: number) => x;\n' });
      const touched = ['src/a.ts', 'src/d.js'];
      const parseOnly = new Workspace(repo.root, 'base', undefined, { parseOnly: true });
      parseOnly.refresh(touched);
      const full = new Workspace(repo.root, 'base');
      full.refresh(touched);
      const found = await syntax(parseOnly, touched);
      expect(found.some((f) => f.startsWith('src/a.ts:1:'))).toBe(true);
      expect(found.some((f) => f.startsWith('src/d.js:1:') && f.includes('TypeScript files'))).toBe(true);
      expect(found).toEqual(await syntax(full, touched));
      const loaded = (ws: Workspace) => ws.project.getSourceFiles().map((sf) => path.relative(repo.root, sf.getFilePath())).sort();
      expect(loaded(parseOnly)).toEqual(touched);
      expect(loaded(full)).toEqual(expect.arrayContaining(['src/b.ts', 'src/c.ts']));
      parseOnly.warm(); // nothing to build: still only the touched files
      expect(loaded(parseOnly)).toEqual(touched);
    } finally {
      repo.cleanup();
    }
  });

  it('checks imports by module resolution alone when the repository\'s TypeScript checks exports: no host program, same verdicts but the missing export', async () => {
    const repo = makeRepo({
      'package.json': '{"type":"module","dependencies":{"zod":"*"}}',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', baseUrl: '.', paths: { '~/*': ['./src/*'] } } }),
      'src/b.ts': 'export const b = 2;\n', 'src/c.ts': 'export const c = 3;\n', 'src/a.ts': 'export const a = 1;\n',
    });
    try {
      const touched = repo.write({
        'src/a.ts': [
          "import { b } from './b.js';",
          "import { nope } from './c.js';",
          "import { z } from 'zod';",
          "import { pad } from 'left-pad';",
          "import { c } from '~/c';",
          "import { gone } from './missing.js';",
          'export const a = [b, nope, z, pad, c, gone];',
        ].join('\n') + '\n',
      });
      const rules = async (ws: Workspace, exportsCheckedByTypes: boolean) => {
        ws.refresh(touched);
        const found = await createImportsValidator(ws, { exportsCheckedByTypes }).validate({ root: ws.root, baseRef: 'base', touchedFiles: touched });
        return found.map((f) => `${f.line} ${f.rule}`).sort();
      };
      const light = new Workspace(repo.root, 'base', undefined, { parseOnly: true });
      expect(await rules(light, true)).toEqual(['4 imports/undeclared', '6 imports/unresolved']);
      // Nothing but the touched file was parsed: no program, no import targets, no node_modules types.
      expect(light.project.getSourceFiles().map((sf) => path.relative(repo.root, sf.getFilePath()))).toEqual(['src/a.ts']);
      // Without the repository's type-check the program-based check still runs and finds the missing export.
      expect(await rules(new Workspace(repo.root, 'base', undefined, { parseOnly: true }), false)).toEqual(['2 imports/missing-export', '4 imports/undeclared', '6 imports/unresolved']);
    } finally {
      repo.cleanup();
    }
  });
});
