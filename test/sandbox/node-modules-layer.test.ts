// node_modules is a throwaway writable layer over the real one: vite/vitest can write their caches
// (and anything else under node_modules), and the real tree is byte-identical afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';
import { hashTree, writePnpmStyleModules } from './tree-hash.ts';

const PROJECT_NM = path.resolve('node_modules');
const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8' };
let base: string;

beforeAll(() => {
  // Not under /tmp: the sandbox replaces /tmp, which would hide the repositories trivially.
  fs.mkdirSync(path.join(os.homedir(), '.cache'), { recursive: true });
  base = fs.mkdtempSync(path.join(os.homedir(), '.cache', 'patchloop-nm-'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function gitRepo(name: string, files: Record<string, string>): string {
  const dir = path.join(base, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init'], { cwd: dir });
  return dir;
}

const WRITE_SCRIPT = [
  'set -e',
  'mkdir -p node_modules/.vite/vitest',
  'echo \'{"results":[]}\' > node_modules/.vite/vitest/results.json',
  'echo \'module.exports = "dep-patched";\' > node_modules/dep/index.js',
  'rm node_modules/.modules.yaml',
  'cat node_modules/.vite/vitest/results.json',
  'node -e "console.log(require(\'dep\'))"',
].join('\n');

describe('node_modules as a throwaway layer (bwrap)', () => {
  const make = () => createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv, home: base });

  it('a vitest.config.ts repository run by vitest goes green (vite bundles the config into node_modules/.vite-temp)', async () => {
    const repo = gitRepo('vite-config', {
      'package.json': JSON.stringify({ name: 'v', type: 'module' }),
      'vitest.config.ts': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'] } });\n",
      'test/one.test.ts': "import { expect, it } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\n",
    });
    fs.symlinkSync(PROJECT_NM, path.join(repo, 'node_modules'));
    const before = fs.readdirSync(PROJECT_NM).filter((n) => n.startsWith('.vite')).sort();
    const r = await (await make()).run({ command: 'node node_modules/vitest/vitest.mjs run', cwd: repo, timeoutMs: 60_000 });
    expect(r.output).not.toContain('EROFS');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/1 passed/);
    expect(fs.readdirSync(PROJECT_NM).filter((n) => n.startsWith('.vite')).sort()).toEqual(before);
  });

  it('writes anywhere under a real node_modules dir succeed inside; the real tree is byte-identical afterwards', async () => {
    const repo = gitRepo('real-nm', { 'package.json': '{"name":"r"}', '.gitignore': 'node_modules\n' });
    writePnpmStyleModules(path.join(repo, 'node_modules'));
    const hash = hashTree(path.join(repo, 'node_modules'));
    const sb = await make();
    const r = await sb.run({ command: WRITE_SCRIPT, cwd: repo, timeoutMs: 20_000 });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('{"results":[]}');
    expect(r.output).toContain('dep-patched');
    expect(hashTree(path.join(repo, 'node_modules'))).toBe(hash);
    // The layer is per command: the next command sees the real files again.
    const again = await sb.run({ command: 'node -e "console.log(require(\'dep\'))"; ls node_modules/.vite 2>&1 || true', cwd: repo, timeoutMs: 20_000 });
    expect(again.output).toContain('dep-original');
    expect(again.output).toMatch(/No such file/);
    // An install step asks to keep its writes: the real directory inside cwd is written directly.
    const install = await sb.run({ command: 'mkdir node_modules/installed', cwd: repo, timeoutMs: 20_000, keepDependencyWrites: true });
    expect(install.exitCode, install.output).toBe(0);
    expect(fs.existsSync(path.join(repo, 'node_modules', 'installed'))).toBe(true);
  });

  it('the same through a worktree whose node_modules links to the checkout (linkDependencies)', async () => {
    const checkout = gitRepo('linked', { 'package.json': '{"name":"l"}', '.gitignore': 'node_modules\n' });
    writePnpmStyleModules(path.join(checkout, 'node_modules'));
    const wt = path.join(checkout, '.git', 'patchloop', 'worktrees', 'r1');
    execFileSync('git', ['worktree', 'add', '-q', '-b', 'patchloop/r1', wt], { cwd: checkout });
    linkDependencies(checkout, wt);
    // A workspace package linked out of node_modules into the (masked) checkout still loads.
    fs.mkdirSync(path.join(checkout, 'packages', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(checkout, 'packages', 'lib', 'index.js'), 'module.exports = "workspace-lib";\n');
    fs.writeFileSync(path.join(checkout, 'packages', 'lib', 'package.json'), '{"name":"@ws/lib","main":"index.js"}');
    fs.mkdirSync(path.join(checkout, 'node_modules', '@ws'));
    fs.symlinkSync('../../packages/lib', path.join(checkout, 'node_modules', '@ws', 'lib'));
    const hash = hashTree(path.join(checkout, 'node_modules'));
    const r = await (await make()).run({ command: `${WRITE_SCRIPT}\nnode -e "console.log(require('@ws/lib'))"; cat '${checkout}/package.json' || true`, cwd: wt, timeoutMs: 20_000 });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('dep-patched');
    expect(r.output).toContain('workspace-lib');
    expect(r.output).not.toContain('"name":"l"');
    expect(hashTree(path.join(checkout, 'node_modules'))).toBe(hash);
    expect(fs.readlinkSync(path.join(wt, 'node_modules'))).toBe(path.join(checkout, 'node_modules'));
    // A linked node_modules (the user's own) keeps its layer even for an install step.
    const install = await (await make()).run({ command: 'touch node_modules/installed', cwd: wt, timeoutMs: 20_000, keepDependencyWrites: true });
    expect(install.exitCode, install.output).toBe(0);
    expect(hashTree(path.join(checkout, 'node_modules'))).toBe(hash);
  });

  it('without a usable overlay, node_modules falls back to read-only and the result says so', async () => {
    const repo = gitRepo('fallback', { 'package.json': '{"name":"f"}', '.gitignore': 'node_modules\n' });
    writePnpmStyleModules(path.join(repo, 'node_modules'));
    const hash = hashTree(path.join(repo, 'node_modules'));
    const which = (n: string) => (n === 'unshare' ? null : execFileSync('sh', ['-c', `command -v ${n} || true`], { encoding: 'utf8' }).trim() || null);
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv, home: base, which });
    const r = await sb.run({ command: 'echo x > node_modules/dep/index.js', cwd: repo, timeoutMs: 20_000 });
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/Read-only file system/);
    expect(r.notes?.join('\n')).toMatch(/node_modules read-only: .*unshare/);
    expect(hashTree(path.join(repo, 'node_modules'))).toBe(hash);
  });
});
