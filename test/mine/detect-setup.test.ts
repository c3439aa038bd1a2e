import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectSetup, vitestCommand } from '../../src/mine/detect.ts';
import { candidateProblem } from '../../src/mine/mine.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-detect-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) { mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); writeFileSync(path.join(dir, rel), text); }
  return dir;
}
const withVitest = JSON.stringify({ devDependencies: { vitest: '^2.0.0' } });

describe('install and test command detection', () => {
  it('picks the pnpm major from packageManager, else from the lockfile version', () => {
    expect(detectSetup(repo({ 'package.json': JSON.stringify({ packageManager: 'pnpm@9.15.0' }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }))).toMatchObject({ manager: 'pnpm', install: 'npx --yes pnpm@9 install --frozen-lockfile' });
    expect(detectSetup(repo({ 'package.json': '{}', 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" }))).toMatchObject({ install: 'npx --yes pnpm@8 install --frozen-lockfile' });
    // pnpm 11 needs Node 22.13+: on Node 20 the same v9 lockfile installs with pnpm 10, and the setup says why.
    const pins11 = repo({ 'package.json': JSON.stringify({ packageManager: 'pnpm@11.3.0+sha512.abc' }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
    expect(detectSetup(pins11, '20.20.2')).toMatchObject({ install: 'npx --yes pnpm@10 install --frozen-lockfile', note: expect.stringMatching(/pins pnpm 11, which needs Node 22\.13\+ \(this is 20\.20\.2\): installing with pnpm 10/) });
    expect(detectSetup(pins11, '22.13.0')).toEqual({ manager: 'pnpm', lockfile: 'pnpm-lock.yaml', install: 'npx --yes pnpm@11 install --frozen-lockfile' });
    expect(detectSetup(pins11, '24.1.0')).not.toHaveProperty('note');
    // …unless the repository also requires pnpm 11 through engines.pnpm: then it cannot be installed here, and says why.
    const needs11 = repo({ 'package.json': JSON.stringify({ packageManager: 'pnpm@11.1.0', engines: { pnpm: '>=11.0.0' } }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
    expect(detectSetup(needs11, '20.20.2')).toEqual({ unsupported: 'engines.pnpm ">=11.0.0" needs pnpm 11+, which needs Node 22.13+ (this is 20.20.2)' });
    expect(detectSetup(needs11, '22.13.0')).toMatchObject({ install: 'npx --yes pnpm@11 install --frozen-lockfile' });
    expect(detectSetup(repo({ 'package.json': '{}', 'pnpm-lock.yaml': 'lockfileVersion: 5.4\n' }))).toMatchObject({ install: 'npx --yes pnpm@7 install --frozen-lockfile' });
  });

  it('uses npm ci for package-lock.json and refuses Yarn Plug\'n\'Play and a missing lockfile', () => {
    expect(detectSetup(repo({ 'package.json': '{}', 'package-lock.json': '{}' }))).toMatchObject({ manager: 'npm', install: 'npm ci --no-audit --no-fund' });
    expect(detectSetup(repo({ 'package.json': '{}', 'yarn.lock': '', '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.cjs\n' }))).toEqual({ unsupported: expect.stringMatching(/Plug'n'Play/) });
    expect(detectSetup(repo({ 'package.json': '{}' }))).toEqual({ unsupported: expect.stringMatching(/no lockfile/) });
  });

  it('runs vitest from the workspace package that declares it, with paths relative to it', () => {
    const dir = repo({ 'package.json': '{"workspaces":["packages/*"]}', 'packages/lib/package.json': withVitest });
    expect(vitestCommand(dir, ['packages/lib/src/a.test.ts'])).toEqual({ command: 'cd packages/lib && npx --no-install vitest run src/a.test.ts', packageDir: 'packages/lib' });
    const root = repo({ 'package.json': withVitest });
    expect(vitestCommand(root, ['test/a.test.ts', "test/it's.test.ts"])?.command).toBe("node_modules/.bin/vitest run test/a.test.ts 'test/it'\\''s.test.ts'");
    expect(vitestCommand(repo({ 'package.json': '{}' }), ['test/a.test.ts'])).toBeNull();
  });

  it('classifies candidates: docs-only is none, a lockfile change is dropped', () => {
    const c = (files: string[]) => candidateProblem({ sha: 'a', parent: 'b', date: '', files });
    expect(c(['README.md'])).toBe('not a candidate');
    expect(c(['src/a.ts'])).toBe('not a candidate');
    expect(c(['src/a.ts', 'test/a.test.ts'])).toBeNull();
    expect(c(['src/a.ts', 'src/a.spec.ts'])).toBeNull();
    expect(c(['src/a.ts', 'test/a.test.ts', 'pnpm-lock.yaml'])).toMatch(/lockfile changed/);
    expect(c(['src/a.ts', 'test/fixtures/x.json'])).toMatch(/no runnable test file/);
  });
});

describe('tests failing at both ends are filtered out of the test command', () => {
  it('excludes exactly the named tests as vitest matches full names (titles joined by spaces)', async () => {
    const { excludePattern, withoutTests } = await import('../../src/mine/mine.ts');
    const re = new RegExp(excludePattern(['ofetch > default fetch options', 'odd|name; x&y > (case) [1]']));
    expect(re.test('ofetch default fetch options')).toBe(false);
    expect(re.test('test/index.test.ts ofetch default fetch options')).toBe(false);
    expect(re.test('odd|name; x&y (case) [1]')).toBe(false);
    expect(re.test('ofetch default fetch options with a suffix')).toBe(true);
    expect(re.test('ofetch retries')).toBe(true);
    expect(excludePattern(['a|b;c&d'])).not.toMatch(/[|;&]/);
    expect(withoutTests('node_modules/.bin/vitest run t.test.ts', [])).toBe('node_modules/.bin/vitest run t.test.ts');
    expect(withoutTests('node_modules/.bin/vitest run t.test.ts', ["it's"])).toBe(`node_modules/.bin/vitest run t.test.ts -t '^(?!(?:.* )?it'\\''s$)'`);
  });
});
