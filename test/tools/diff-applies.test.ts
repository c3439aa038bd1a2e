import { execFileSync } from 'node:child_process';
import { chmodSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, makeOutside, makeRepo, read } from './helpers.ts';

/** A git repo with one committed file. */
function gitRepo(files: Record<string, string>): string {
  const root = makeRepo(files);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  return root;
}

describe('the returned diff is a real patch', () => {
  it('equals git diff for an edit, and reverse-applies cleanly', async () => {
    const root = gitRepo({ 'src/m.ts': 'export function f() {\n  return 1;\n}\n\nexport const z = 2;\n' });
    const r = await call(root, 'replace_body', { path: 'src/m.ts', symbol: 'f', body: 'const one = 1;\nreturn one;' });
    expect(r.ok).toBe(true);
    const gitDiff = execFileSync('git', ['diff', '--no-color', '--no-ext-diff', '--', 'src/m.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    // git adds `diff --git` and `index` lines; the hunks must be identical.
    expect(gitDiff.slice(gitDiff.indexOf('--- a/'))).toBe(r.diff);
    writeFileSync(path.join(root, 'p.diff'), r.diff ?? '');
    execFileSync('git', ['apply', '-R', '--check', 'p.diff'], { cwd: root });
  });

  it('a create_file diff applies to the original tree with git apply', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const r = await call(root, 'create_file', { path: 'lib/new.ts', content: 'export const n = 1;\n' });
    expect(r.ok).toBe(true);
    writeFileSync(path.join(root, 'p.diff'), r.diff ?? '');
    execFileSync('rm', ['-r', path.join(root, 'lib')]);
    execFileSync('git', ['apply', 'p.diff'], { cwd: root });
    expect(read(root, 'lib/new.ts')).toBe('export const n = 1;\n');
  });
});

describe('edits keep file properties', () => {
  it('keeps the executable bit of an edited script', async () => {
    const root = makeRepo({ 'run.js': '#!/usr/bin/env node\nconsole.log(1);\n' });
    chmodSync(path.join(root, 'run.js'), 0o755);
    const r = await call(root, 'str_replace', { path: 'run.js', old_str: 'log(1)', new_str: 'log(2)' });
    expect(r.ok).toBe(true);
    expect(statSync(path.join(root, 'run.js')).mode & 0o777).toBe(0o755);
  });
});

describe('read-only tools also refuse symlinked directories leading out', () => {
  it('list_files and search refuse a path through a symlink to outside', async () => {
    const outside = makeOutside({ 'x.txt': 'needle\n' });
    const root = makeRepo();
    symlinkSync(outside, path.join(root, 'out'));
    const l = await call(root, 'list_files', { path: 'out' });
    expect(l.ok).toBe(false);
    expect(l.llmContent).toMatch(/outside the repository/);
    const s = await call(root, 'search', { pattern: 'needle', path: 'out' });
    expect(s.ok).toBe(false);
  });
});
