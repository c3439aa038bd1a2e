// Inside a run's sandbox nothing of the user's checkout outside the worktree is readable, while git
// in the worktree still works (objects and refs read-only, an empty config instead of the real one).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';
import { writePnpmStyleModules } from './tree-hash.ts';

const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8' };
const SECRETS = { env: 'ENV_SECRET_81f2', untracked: 'UNTRACKED_SECRET_77aa', config: 'CONFIG_SECRET_93cd', other: 'OTHER_WT_SECRET_11b0', trace: 'TRACE_SECRET_5e6f' };
let base: string;
let checkout: string;
let wt: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

beforeAll(() => {
  fs.mkdirSync(path.join(os.homedir(), '.cache'), { recursive: true });
  base = fs.mkdtempSync(path.join(os.homedir(), '.cache', 'patchloop-checkout-'));
  checkout = path.join(base, 'repo');
  fs.mkdirSync(path.join(checkout, 'src'), { recursive: true });
  fs.writeFileSync(path.join(checkout, 'src', 'a.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(checkout, '.gitignore'), 'node_modules\n.env\n');
  git(checkout, 'init', '-q');
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-qm', 'first commit');
  fs.writeFileSync(path.join(checkout, '.env'), `TOKEN=${SECRETS.env}\n`);
  fs.writeFileSync(path.join(checkout, 'notes.txt'), `${SECRETS.untracked}\n`);
  git(checkout, 'config', 'remote.origin.url', `https://user:${SECRETS.config}@example.com/r.git`);
  writePnpmStyleModules(path.join(checkout, 'node_modules'));
  wt = path.join(checkout, '.git', 'patchloop', 'worktrees', 'r1');
  git(checkout, 'worktree', 'add', '-q', '-b', 'patchloop/r1', wt);
  const other = path.join(checkout, '.git', 'patchloop', 'worktrees', 'r0');
  git(checkout, 'worktree', 'add', '-q', '-b', 'patchloop/r0', other);
  fs.writeFileSync(path.join(other, 'src', 'a.ts'), `export const a = "${SECRETS.other}";\n`);
  fs.mkdirSync(path.join(checkout, '.git', 'patchloop', 'runs', 'r0'), { recursive: true });
  fs.writeFileSync(path.join(checkout, '.git', 'patchloop', 'runs', 'r0', 'trace.jsonl'), `{"secret":"${SECRETS.trace}"}\n`);
  linkDependencies(checkout, wt);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe("a run's sandbox and the user's checkout (bwrap)", () => {
  it('reads none of .env, untracked files, .git/config, another worktree or the trace folder', async () => {
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv, home: base });
    const c = checkout;
    const cmd = [
      `cat '${c}/.env' '${c}/notes.txt' '${c}/.git/config' '${c}/.git/patchloop/worktrees/r0/src/a.ts' '${c}/.git/patchloop/runs/r0/trace.jsonl'`,
      `grep -r . '${c}' 2>/dev/null | grep -v '/objects/'`,
      'git config --list',
      'cat "$(git rev-parse --git-common-dir)/config"',
      'true',
    ].join('; ');
    const r = await sb.run({ command: cmd, cwd: wt, timeoutMs: 20_000 });
    for (const [what, secret] of Object.entries(SECRETS)) expect(r.output, what).not.toContain(secret);
  });

  it('git log / git status in the worktree still work, and the dependencies load', async () => {
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv, home: base });
    fs.writeFileSync(path.join(wt, 'src', 'b.ts'), 'export const b = 2;\n');
    const r = await sb.run({ command: 'git log -1 --format=%s && git status --short && node -e "console.log(require(\'dep\'))"', cwd: wt, timeoutMs: 20_000 });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('first commit');
    expect(r.output).toContain('?? src/b.ts');
    expect(r.output).toContain('dep-original');
    fs.rmSync(path.join(wt, 'src', 'b.ts'));
  });

  it('cannot write the hidden checkout or plant anything in the git dir', async () => {
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined, hostEnv, home: base });
    const r = await sb.run({ command: `echo x > '${checkout}/planted'; echo x > '${checkout}/.git/hooks/post-checkout'; echo '[core]' >> "$(git rev-parse --git-common-dir)/config"; true`, cwd: wt, timeoutMs: 20_000 });
    expect(r.output).toMatch(/Read-only file system/);
    expect(fs.existsSync(path.join(checkout, 'planted'))).toBe(false);
    expect(fs.existsSync(path.join(checkout, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(fs.readFileSync(path.join(checkout, '.git', 'config'), 'utf8')).toContain(SECRETS.config);
  });
});
