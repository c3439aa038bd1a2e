import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';
import { runTests } from '../../src/sandbox/run-tests.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';

// The repository whose node_modules the tiny projects borrow (this one).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let base: string;
let sandbox: Sandbox;

async function project(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(base, name);
  await fs.mkdir(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  await fs.writeFile(path.join(dir, 'package.json'), '{"type":"module","private":true}');
  linkDependencies(repoRoot, dir);
  return dir;
}

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'patchloop-runtests-'));
  sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('runTests (bwrap, real vitest)', () => {
  it('parses passing and failing cases from the JSON report', async () => {
    const cwd = await project('mixed', {
      'test/math.test.js': `import { describe, it, expect } from 'vitest';
describe('math', () => {
  it('adds', () => expect(1 + 1).toBe(2));
  it('subtracts', () => expect(2 - 1).toBe(3));
});`,
    });
    const r = await runTests(sandbox, { command: 'node node_modules/vitest/vitest.mjs run', cwd, timeoutMs: 60_000 });
    expect(r.passed).toBe(false);
    expect(r.tests.map((t) => [t.id, t.status])).toEqual([
      ['test/math.test.js::math > adds', 'passed'],
      ['test/math.test.js::math > subtracts', 'failed'],
    ]);
    expect(r.failures[0]).toMatchObject({ message: 'AssertionError: expected 1 to be 3 // Object.is equality', stack: 'at test/math.test.js:4:39' });
    // The report lived in the command's private tmp, not in the worktree.
    expect(await fs.readdir(cwd)).toEqual(['node_modules', 'package.json', 'test']);
  }, 60_000);

  it('a passing suite passes', async () => {
    const cwd = await project('green', { 'a.test.js': `import { it, expect } from 'vitest'; it('ok', () => expect(true).toBe(true));` });
    const r = await runTests(sandbox, { command: 'node node_modules/vitest/vitest.mjs run', cwd, timeoutMs: 60_000 });
    expect([r.passed, r.tests.length, r.failures]).toEqual([true, 1, []]);
  }, 60_000);

  it('a failing command without a report gives one synthetic failure with the output tail', async () => {
    const cwd = await project('broken', {});
    const r = await runTests(sandbox, { command: 'echo "compile error in x.ts" >&2; exit 2', cwd, timeoutMs: 10_000 });
    expect(r.passed).toBe(false);
    expect(r.tests).toEqual([]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.message).toBe('test command ended: exit (exit 2)\ncompile error in x.ts\n');
  });
});

describe('linkDependencies', () => {
  it('links node_modules to the repository, idempotently', async () => {
    const wt = await fs.mkdtemp(path.join(base, 'wt-'));
    linkDependencies(repoRoot, wt);
    linkDependencies(repoRoot, wt);
    expect(await fs.realpath(path.join(wt, 'node_modules'))).toBe(await fs.realpath(path.join(repoRoot, 'node_modules')));
  });

  it('fails with deps_missing and the fix when the repository has no node_modules', async () => {
    const repo = await fs.mkdtemp(path.join(base, 'repo-'));
    const wt = await fs.mkdtemp(path.join(base, 'wt-'));
    let err: unknown;
    try {
      linkDependencies(repo, wt);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).code).toBe('deps_missing');
    expect((err as Error).message).toBe(`No node_modules in ${repo}: install dependencies first (npm ci), or pass --setup "npm ci" to install them in the worktree`);
  });

  it('refuses to replace a different node_modules already in the worktree', async () => {
    const wt = await fs.mkdtemp(path.join(base, 'wt-'));
    await fs.mkdir(path.join(wt, 'node_modules'));
    expect(() => linkDependencies(repoRoot, wt)).toThrow(/already exists and is not a link/);
  });
});
