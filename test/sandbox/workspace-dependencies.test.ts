// A pnpm workspace keeps each package's own dependencies in `packages/<name>/node_modules`: a run's
// worktree gets those linked too, the sandbox covers each with a throwaway layer, and the links stay
// out of the run's commits (TanStack/store's package vite configs load their plugins from there).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/git/repo.ts';
import { excludeLinkedPackages } from '../../src/git/worktree.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies, packagesWithNodeModules, unlinkDependencies } from '../../src/sandbox/dependencies.ts';
import { dependencyDirs } from '../../src/sandbox/node-modules-layer.ts';
import { hashTree } from './tree-hash.ts';

let base: string;
beforeAll(() => {
  // Not under /tmp: the sandbox replaces /tmp, which would hide the repositories trivially.
  fs.mkdirSync(path.join(os.homedir(), '.cache'), { recursive: true });
  base = fs.mkdtempSync(path.join(os.homedir(), '.cache', 'patchloop-ws-'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const write = (root: string, files: Record<string, string>) => {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

/** A committed pnpm-style workspace: root deps, `packages/app` with its own deps and a link to its sibling `packages/lib`. */
function workspace(name: string): { checkout: string; wt: string } {
  const checkout = path.join(base, name);
  write(checkout, {
    'package.json': '{"name":"root","private":true}',
    '.gitignore': 'node_modules/\n', // a directory pattern: it does not match a symlink
    'packages/app/package.json': '{"name":"app"}',
    'packages/app/index.js': 'module.exports = "app";\n',
    'packages/lib/package.json': '{"name":"@ws/lib","main":"index.js"}',
    'packages/lib/index.js': 'module.exports = "lib at base";\n',
    'packages/docs/package.json': '{"name":"docs"}',
  });
  git(checkout, 'init', '-q');
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-qm', 'init');
  write(checkout, {
    'node_modules/root-dep/index.js': 'module.exports = "root-dep";\n',
    'packages/app/node_modules/local-plugin/index.js': 'module.exports = "local-plugin";\n',
  });
  fs.mkdirSync(path.join(checkout, 'packages/app/node_modules/@ws'));
  fs.symlinkSync('../../../lib', path.join(checkout, 'packages/app/node_modules/@ws/lib'));
  const wt = path.join(checkout, '.git', 'patchloop', 'worktrees', 'r1');
  git(checkout, 'worktree', 'add', '-q', '-b', 'patchloop/r1', wt);
  return { checkout, wt };
}

describe('workspace packages\' node_modules', () => {
  it('links each package\'s node_modules into the worktree, idempotently, and unlinks without touching the targets', () => {
    const { checkout, wt } = workspace('link');
    write(checkout, { 'packages/gone/package.json': '{}', 'packages/gone/node_modules/x/index.js': '' }); // not in the worktree
    write(checkout, { 'a/b/c/d/package.json': '{}', 'a/b/c/d/node_modules/x/index.js': '' }); // deeper than packages are looked for
    fs.mkdirSync(path.join(checkout, 'odd\nname/node_modules'), { recursive: true });
    fs.writeFileSync(path.join(checkout, 'odd\nname/package.json'), '{}');
    expect(packagesWithNodeModules(checkout).sort()).toEqual(['packages/app', 'packages/gone']);
    expect(linkDependencies(checkout, wt)).toEqual(['packages/app']);
    expect(fs.readlinkSync(path.join(wt, 'packages/app/node_modules'))).toBe(path.join(checkout, 'packages/app/node_modules'));
    expect(fs.existsSync(path.join(wt, 'packages/docs/node_modules'))).toBe(false);
    expect(linkDependencies(checkout, wt)).toEqual(['packages/app']);
    unlinkDependencies(wt);
    expect(fs.lstatSync(path.join(wt, 'node_modules'), { throwIfNoEntry: false })).toBeUndefined();
    expect(fs.lstatSync(path.join(wt, 'packages/app/node_modules'), { throwIfNoEntry: false })).toBeUndefined();
    expect(fs.readFileSync(path.join(checkout, 'packages/app/node_modules/local-plugin/index.js'), 'utf8')).toContain('local-plugin');
  });

  it('writes no link outside the worktree when the commit makes a package folder a symlink', () => {
    const { checkout, wt } = workspace('symlinked');
    write(base, { 'outside/app/package.json': '{}' });
    fs.rmSync(path.join(wt, 'packages'), { recursive: true });
    fs.symlinkSync(path.join(base, 'outside'), path.join(wt, 'packages')); // as a committed `packages -> …` would check out
    expect(linkDependencies(checkout, wt)).toEqual([]);
    expect(fs.readdirSync(path.join(base, 'outside/app'))).toEqual(['package.json']);
  });

  it('keeps the links out of the run\'s commits even where .gitignore has only `node_modules/`', async () => {
    const { checkout, wt } = workspace('exclude');
    fs.appendFileSync(path.join(checkout, '.git/info/exclude'), '/node_modules\n'); // as createRunWorktree does for the root link
    const linked = linkDependencies(checkout, wt);
    expect(git(wt, 'status', '--porcelain')).toBe('?? packages/app/node_modules\n');
    excludeLinkedPackages(await openRepo(checkout), linked);
    git(wt, 'add', '-A');
    expect(git(wt, 'status', '--porcelain')).toBe('');
  });

  it('the sandbox takes a package\'s node_modules only inside the install tree of the root one', () => {
    const { checkout, wt } = workspace('tree');
    linkDependencies(checkout, wt);
    expect(dependencyDirs(wt)).toEqual([path.join(checkout, 'node_modules'), path.join(checkout, 'packages/app/node_modules')]);
    // Sandboxed code can repoint a link in the (writable) worktree: a target outside the tree is not taken.
    write(base, { 'elsewhere/node_modules/secret.txt': 'other project' });
    fs.unlinkSync(path.join(wt, 'packages/app/node_modules'));
    fs.symlinkSync(path.join(base, 'elsewhere/node_modules'), path.join(wt, 'packages/app/node_modules'));
    expect(dependencyDirs(wt)).toEqual([path.join(checkout, 'node_modules')]);
  });

  it.runIf(fs.existsSync('/usr/bin/bwrap'))('inside the sandbox a package loads its own dependencies and its sibling, and writes there are thrown away', async () => {
    const { checkout, wt } = workspace('sandbox');
    linkDependencies(checkout, wt);
    const hash = hashTree(path.join(checkout, 'packages/app/node_modules'));
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv: { PATH: process.env.PATH, LANG: 'C.UTF-8' }, home: base });
    const script = [
      'set -e',
      'cd packages/app',
      'node -e "console.log(require(\'local-plugin\'), require(\'@ws/lib\'), require(\'root-dep\'))"',
      // vite bundles a package's config into the nearest node_modules/.vite-temp
      'mkdir -p node_modules/.vite-temp && echo x > node_modules/.vite-temp/vite.config.mjs && cat node_modules/.vite-temp/vite.config.mjs',
    ].join('\n');
    const r = await sb.run({ command: script, cwd: wt, timeoutMs: 20_000 });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('local-plugin lib at base root-dep');
    expect(hashTree(path.join(checkout, 'packages/app/node_modules'))).toBe(hash);
  });
});
