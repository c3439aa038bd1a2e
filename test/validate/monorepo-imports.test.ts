/**
 * In a monorepo a package declares its own dependencies: an import is checked against the nearest
 * package.json (plus the ones above it, for hoisted workspace dependencies), not the root's alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createImportsValidator } from '../../src/validate/imports.ts';
import { Workspace } from '../../src/validate/workspace.ts';
import { makeRepo } from './support/fixture-repo.ts';

const repo = makeRepo({
  'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'], devDependencies: { vitest: '^4' } }),
  'packages/docs/package.json': JSON.stringify({ name: 'docs', dependencies: { zod: '^4' } }),
  'packages/core/package.json': JSON.stringify({ name: 'core' }),
});
afterAll(() => repo.cleanup());

async function check(file: string, text: string) {
  const touched = repo.write({ [file]: text });
  const ws = new Workspace(repo.root, 'base');
  ws.refresh(touched);
  return (await createImportsValidator(ws).validate({ root: repo.root, baseRef: 'base', touchedFiles: touched })).map((f) => [f.file, f.rule, f.line]);
}

describe('imports in a monorepo', () => {
  it("accepts a dependency declared by the file's own package, and a root devDependency", async () => {
    expect(await check('packages/docs/src/a.ts', "import { z } from 'zod';\nimport { it } from 'vitest';\nvoid z; void it;\n")).toEqual([]);
  });

  it('flags the same import in a package that does not declare it', async () => {
    expect(await check('packages/core/src/b.ts', "import { z } from 'zod';\nvoid z;\n")).toEqual([['packages/core/src/b.ts', 'imports/undeclared', 1]]);
  });
});
