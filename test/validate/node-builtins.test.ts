/** The imports validator flags an unknown `node:` builtin and accepts every real one. */
import { builtinModules } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportsValidator } from '../../src/validate/imports.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { TSCONFIG, makeRepo } from './support/fixture-repo.ts';

const repo = makeRepo({ 'package.json': '{"type":"module"}', 'tsconfig.json': TSCONFIG });
afterAll(() => repo.cleanup());

async function check(text: string) {
  const touched = repo.write({ 'src/c.ts': text });
  const ws = new Workspace(repo.root, 'base');
  ws.refresh(touched);
  return createImportsValidator(ws).validate({ root: repo.root, baseRef: 'base', touchedFiles: touched });
}

describe('node: builtins', () => {
  it('flags node:fss with a hint naming node:fs', async () => {
    const found = await check("import { readFileSync } from 'node:fss';\nvoid readFileSync;\n");
    expect(found.map((f) => [f.rule, f.line, f.column])).toEqual([['imports/unknown-builtin', 1, 30]]);
    expect(found[0]!.suggestion).toContain('node:fs');
  });

  it('accepts every real builtin with the node: prefix, and prefix-only ones like node:test', async () => {
    const names = [...builtinModules.filter((b) => !b.startsWith('_')), 'test'];
    const found = await check(names.map((b, i) => `import * as m${i} from 'node:${b}';`).join('\n') + '\n');
    expect(found).toEqual([]);
  });
});
