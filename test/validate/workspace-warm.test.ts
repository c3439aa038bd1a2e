/**
 * `Workspace.warm` (run at prewarm) parses the default libraries through an in-memory probe module
 * and removes it again: nothing is written, a real file of the probe's name is left alone, and the
 * first check after it reports what an unwarmed workspace reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSyntaxValidator } from '../../src/validate/syntax.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const BROKEN = 'export function f(: number {\n  return 1;\n}\n';
const syntaxOf = async (ws: Workspace) => (await createSyntaxValidator(ws).validate({ root: ws.root, baseRef: 'base', touchedFiles: ['src/a.ts'] })).map((f) => [f.line, f.rule, f.message]);

describe('Workspace.warm', () => {
  it('leaves no probe behind, writes nothing, and changes no finding', async () => {
    const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG, 'src/a.ts': 'export const a = 1;\n' });
    try {
      const warmed = new Workspace(repo.root, 'base');
      warmed.warm();
      expect(warmed.project.getSourceFile(path.join(repo.root, '__patchloop_warm__.ts'))).toBeUndefined();
      expect(existsSync(path.join(repo.root, '__patchloop_warm__.ts'))).toBe(false);
      repo.write({ 'src/a.ts': BROKEN });
      warmed.refresh(['src/a.ts']);
      const cold = new Workspace(repo.root, 'base');
      cold.refresh(['src/a.ts']);
      const found = await syntaxOf(warmed);
      expect(found.length).toBeGreaterThan(0);
      expect(found).toEqual(await syntaxOf(cold));
    } finally {
      repo.cleanup();
    }
  });

  it('leaves a real file of the probe name in the project, unchanged', () => {
    const text = 'export const mine = 2;\n';
    const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': JSON.stringify({ ...JSON.parse(TSCONFIG), include: ['*.ts'] }), '__patchloop_warm__.ts': text });
    try {
      const ws = new Workspace(repo.root, 'base');
      ws.warm();
      expect(ws.project.getSourceFile(path.join(repo.root, '__patchloop_warm__.ts'))?.getFullText()).toBe(text);
      expect(readFileSync(path.join(repo.root, '__patchloop_warm__.ts'), 'utf8')).toBe(text);
    } finally {
      repo.cleanup();
    }
  });
});
