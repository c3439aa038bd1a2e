/**
 * A tiny vitest repository with a history to mine, built with real git in a temp dir:
 *   1. base: `add` + its passing test
 *   2. fix: adds `mul` and a test for it (→ one instance: FAIL_TO_PASS `multiplies`, PASS_TO_PASS `adds`)
 *   3. broken: adds `sub` with a test that fails before and after (→ dropped, counted)
 *   4. docs: README only (→ not a candidate)
 * Its "install" links patchloop's own node_modules, so no network and no fetched code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PATCHLOOP_NODE_MODULES = realpathSync(path.resolve(import.meta.dirname, '../../node_modules'));
/** The fixture's install command: runs in the sandbox like a real `npm ci`. */
export const LINK_INSTALL = `ln -s ${PATCHLOOP_NODE_MODULES} node_modules`;

export interface MinedFixture {
  dir: string;
  shas: { base: string; fix: string; broken: string; docs: string };
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

export function makeMinedRepo(): MinedFixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-minefix-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (msg: string) => { git('add', '-A'); git('commit', '-q', '-m', msg); return git('rev-parse', 'HEAD'); };
  git('init', '-q', '-b', 'main');
  write(dir, 'package.json', JSON.stringify({ name: 'mini', type: 'module', devDependencies: { vitest: '*' } }, null, 2) + '\n');
  write(dir, 'package-lock.json', '{"lockfileVersion":3}\n');
  write(dir, '.gitignore', 'node_modules\n');
  write(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true }, include: ['src', 'test'] }, null, 2) + '\n');
  write(dir, 'src/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  write(dir, 'test/math.test.ts', "import { expect, it } from 'vitest';\nimport { add } from '../src/math.ts';\n\nit('adds', () => {\n  expect(add(1, 2)).toBe(3);\n});\n");
  const base = commit('base');
  write(dir, 'src/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function mul(a: number, b: number): number {\n  return a * b;\n}\n');
  write(dir, 'test/math.test.ts', "import { expect, it } from 'vitest';\nimport * as m from '../src/math.ts';\n\nit('adds', () => {\n  expect(m.add(1, 2)).toBe(3);\n});\n\nit('multiplies', () => {\n  expect(m.mul(2, 3)).toBe(6);\n});\n");
  const fix = commit('Add mul\n\nmul multiplies two numbers.');
  write(dir, 'src/sub.ts', 'export function sub(a: number, b: number): number {\n  return a + b;\n}\n');
  write(dir, 'test/sub.test.ts', "import { expect, it } from 'vitest';\nimport * as s from '../src/sub.ts';\n\nit('subtracts', () => {\n  expect(s.sub?.(3, 1)).toBe(2);\n});\n");
  const broken = commit('Add sub (still wrong)');
  write(dir, 'README.md', '# mini\n');
  const docs = commit('docs: readme');
  return { dir, shas: { base, fix, broken, docs } };
}
