import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineRepository, type MineResult } from '../../src/mine/mine.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { LINK_INSTALL, makeMinedRepo, type MinedFixture } from './fixture.ts';

describe('tasks mine on a small repository', () => {
  let fx: MinedFixture;
  let cache: string;
  let result: MineResult;
  const progress: string[] = [];

  beforeAll(async () => {
    fx = makeMinedRepo();
    cache = mkdtempSync(path.join(os.tmpdir(), 'patchloop-minecache-'));
    const sandbox = await createSandbox({ backend: 'auto', warn: () => undefined });
    result = await mineRepository({ repo: fx.dir, name: 'acme/mini', cacheRoot: cache, install: LINK_INSTALL }, { sandbox, progress: (l) => progress.push(l) });
  }, 60_000);
  afterAll(() => {
    rmSync(fx.dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('keeps the fix commit as one instance with the right FAIL_TO_PASS and PASS_TO_PASS', () => {
    expect(result.instances.map((i) => i.instance_id)).toEqual([`acme__mini-${fx.shas.fix.slice(0, 7)}`]);
    const inst = result.instances[0]!;
    expect(inst.base_commit).toBe(fx.shas.base);
    expect(inst.commit).toBe(fx.shas.fix);
    expect(inst.FAIL_TO_PASS).toEqual(['test/math.test.ts::multiplies']);
    expect(inst.PASS_TO_PASS).toEqual(['test/math.test.ts::adds']);
    expect(inst.problem_statement).toBe('Add mul\n\nmul multiplies two numbers.');
    expect(inst.test_cmd).toBe('node_modules/.bin/vitest run test/math.test.ts');
    expect(inst.install).toBe(LINK_INSTALL);
  });

  it('splits the change into the source patch and the test patch', () => {
    const inst = result.instances[0]!;
    expect(inst.patch).toMatch(/^diff --git a\/src\/math\.ts b\/src\/math\.ts/);
    expect(inst.patch).not.toContain('test/math.test.ts');
    expect(inst.test_patch).toMatch(/^diff --git a\/test\/math\.test\.ts/);
    expect(inst.test_patch).not.toContain('src/math.ts b/');
  });

  it('drops the commit whose test fails at both ends, and counts that test', () => {
    expect(result.dropped).toEqual([expect.objectContaining({ commit: fx.shas.broken, reason: expect.stringMatching(/no FAIL_TO_PASS test/) })]);
    expect(result.failingBoth).toBe(1);
  });

  it('does not try the docs-only commit', () => {
    expect(result.tried).toBe(2);
    expect(result.scanned).toBe(3); // the root commit has no parent to start from
    expect(progress.join('\n')).not.toContain(fx.shas.docs.slice(0, 7));
  });

  it('installs once for the shared lockfile', () => {
    expect(progress.filter((l) => l.startsWith('installed'))).toHaveLength(1);
  });
});
