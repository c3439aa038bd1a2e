// Runs' worktrees live outside the checkout and its .git (vitest 0.x excludes `**/.git/**` against
// absolute paths: a worktree under `.git/` found no test file), and a run's sandbox cannot read any
// other run's worktree, of this repository or another.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/git/repo.ts';
import { createRunWorktree, type RunWorktree } from '../../src/git/worktree.ts';
import { worktreesRoot } from '../../src/git/worktrees-root.ts';
import { createSandbox } from '../../src/sandbox/create.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });
let base: string;
let savedRoot: string | undefined;
const wts: Record<'a' | 'a2' | 'b', RunWorktree> = {} as never;

async function checkout(name: string): Promise<string> {
  const dir = path.join(base, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'x.ts'), `export const who = '${name}';\n`);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', `first commit of ${name}`);
  return dir;
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'patchloop-wtroot-'));
  savedRoot = process.env['PATCHLOOP_WORKTREES'];
  process.env['PATCHLOOP_WORKTREES'] = path.join(base, 'worktrees');
  const a = await openRepo(await checkout('alpha'));
  const b = await openRepo(await checkout('beta'));
  wts.a = await createRunWorktree(a, 'run-a');
  wts.a2 = await createRunWorktree(a, 'run-a2');
  wts.b = await createRunWorktree(b, 'run-b');
  fs.writeFileSync(path.join(wts.a2.path, 'src', 'x.ts'), "export const who = 'SECRET_OF_A2';\n");
  fs.writeFileSync(path.join(wts.b.path, 'src', 'x.ts'), "export const who = 'SECRET_OF_B';\n");
});
afterAll(() => {
  if (savedRoot === undefined) delete process.env['PATCHLOOP_WORKTREES'];
  else process.env['PATCHLOOP_WORKTREES'] = savedRoot;
  fs.rmSync(base, { recursive: true, force: true });
});

describe("runs' worktrees", () => {
  it('are created under the worktrees root, one folder per repository, never under a .git folder', async () => {
    const root = worktreesRoot();
    for (const wt of Object.values(wts)) {
      expect(wt.path.startsWith(`${root}/`)).toBe(true);
      expect(wt.path.split(path.sep)).not.toContain('.git');
    }
    expect(path.dirname(wts.a.path)).toBe(path.dirname(wts.a2.path));
    expect(path.dirname(wts.a.path)).not.toBe(path.dirname(wts.b.path));
    expect(path.basename(path.dirname(wts.a.path))).toMatch(/^alpha-[0-9a-f]{12}$/);
    expect(git(wts.a.path, 'log', '-1', '--format=%s').trim()).toBe('first commit of alpha');
  });

  it('by default sit on a path with no dot-folder (vitest 0.x excludes **/.{git,cache,…}/** on absolute paths)', () => {
    const root = worktreesRoot({});
    expect(root.split(path.sep).filter((seg) => seg.startsWith('.'))).toEqual([]);
    expect(worktreesRoot({ PATCHLOOP_WORKTREES: '/srv/wt' })).toBe('/srv/wt');
    for (const wt of Object.values(wts)) expect(path.relative(worktreesRoot(), wt.path).split(path.sep).filter((seg) => seg.startsWith('.'))).toEqual([]);
  });

  it("inside one run's sandbox (bwrap), no other run's worktree is readable; its own and git are", async () => {
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv: { PATH: process.env['PATH'], LANG: 'C.UTF-8' }, home: base });
    const others = [wts.a2.path, wts.b.path].map((p) => `'${p}/src/x.ts'`).join(' ');
    const r = await sb.run({ command: `cat ${others} 2>&1; grep -r SECRET_OF '${worktreesRoot()}' 2>/dev/null; cat src/x.ts; git log -1 --format=%s`, cwd: wts.a.path, timeoutMs: 20_000 });
    expect(r.output).not.toContain('SECRET_OF_A2');
    expect(r.output).not.toContain('SECRET_OF_B');
    expect(r.output).toContain("export const who = 'alpha'");
    expect(r.output).toContain('first commit of alpha');
  });
});
