import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, makeOutside, makeRepo, read } from './helpers.ts';

describe('paths outside the repository are refused', () => {
  it('refuses ../../etc/passwd for read_file', async () => {
    const root = makeRepo({ 'a.ts': 'x\n' });
    const r = await call(root, 'read_file', { path: '../../etc/passwd' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/outside the repository/);
    expect(r.llmContent).not.toMatch(/root:/);
  });

  it('refuses an absolute path', async () => {
    const root = makeRepo();
    const r = await call(root, 'read_file', { path: '/etc/passwd' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/absolute/);
  });

  it('refuses a path that leaves and re-enters through ..', async () => {
    const root = makeRepo({ 'a.ts': 'x\n' });
    const r = await call(root, 'create_file', { path: `../${path.basename(root)}-evil/x.ts`, content: 'x' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/outside the repository/);
  });

  it('allows a name that merely starts with two dots', async () => {
    const root = makeRepo({ '..notes.md': 'hello\n' });
    const r = await call(root, 'read_file', { path: '..notes.md' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toContain('hello');
  });

  it('refuses to read through a symlink to /etc/passwd', async () => {
    const root = makeRepo();
    symlinkSync('/etc/passwd', path.join(root, 'passwd'));
    const r = await call(root, 'read_file', { path: 'passwd' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/symlink.*outside/);
    expect(r.llmContent).not.toMatch(/root:/);
  });

  it('refuses to write through a symlink to a file outside, leaving it unchanged', async () => {
    const outside = makeOutside({ 'target.ts': 'const secret = 1;\n' });
    const root = makeRepo();
    symlinkSync(path.join(outside, 'target.ts'), path.join(root, 'link.ts'));
    const r = await call(root, 'str_replace', { path: 'link.ts', old_str: 'secret', new_str: 'pwned' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/symlink.*outside/);
    expect(readFileSync(path.join(outside, 'target.ts'), 'utf8')).toBe('const secret = 1;\n');
  });

  it('refuses to str_replace through a symlink to /etc/passwd', async () => {
    const root = makeRepo();
    symlinkSync('/etc/passwd', path.join(root, 'passwd'));
    const r = await call(root, 'str_replace', { path: 'passwd', old_str: 'root', new_str: 'toor' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/outside/);
  });

  it('refuses to create a file under a symlinked directory that points outside', async () => {
    const outside = makeOutside({});
    const root = makeRepo();
    symlinkSync(outside, path.join(root, 'dir'));
    const r = await call(root, 'create_file', { path: 'dir/new.ts', content: 'x' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/symlink.*outside/);
  });

  it('refuses to create a file through a dangling symlink', async () => {
    const outside = makeOutside({});
    const root = makeRepo();
    symlinkSync(path.join(outside, 'not-yet.ts'), path.join(root, 'dangling.ts'));
    const r = await call(root, 'create_file', { path: 'dangling.ts', content: 'x' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/symlink/);
  });

  it('follows a symlink that stays inside the repository', async () => {
    const root = makeRepo({ 'src/real.ts': 'export const a = 1;\n' });
    symlinkSync(path.join(root, 'src/real.ts'), path.join(root, 'alias.ts'));
    const r = await call(root, 'read_file', { path: 'alias.ts' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toContain('export const a = 1;');
  });
});

describe('protected locations', () => {
  it('refuses writes into .git/ and node_modules/', async () => {
    const root = makeRepo({ '.git/config': '[core]\n', 'node_modules/x/index.js': 'x\n' });
    const git = await call(root, 'create_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\n' });
    expect(git.ok).toBe(false);
    expect(git.llmContent).toMatch(/\.git\//);
    const nm = await call(root, 'str_replace', { path: 'node_modules/x/index.js', old_str: 'x', new_str: 'y' });
    expect(nm.ok).toBe(false);
    expect(nm.llmContent).toMatch(/node_modules\//);
    expect(read(root, 'node_modules/x/index.js')).toBe('x\n');
  });

  it('refuses to edit a locked file, naming it as locked', async () => {
    const root = makeRepo({ 'test/a.test.ts': 'expect(1).toBe(1);\n' });
    const readOnly = (rel: string): boolean => rel.startsWith('test/');
    const r = await call(root, 'str_replace', { path: 'test/a.test.ts', old_str: '1', new_str: '2' }, { readOnly });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/test\/a\.test\.ts is locked/);
    expect(read(root, 'test/a.test.ts')).toBe('expect(1).toBe(1);\n');
  });

  it('refuses a locked file reached through a symlink', async () => {
    const root = makeRepo({ 'test/a.test.ts': 'x\n' });
    symlinkSync(path.join(root, 'test/a.test.ts'), path.join(root, 'innocent.ts'));
    const readOnly = (rel: string): boolean => rel.startsWith('test/');
    const r = await call(root, 'str_replace', { path: 'innocent.ts', old_str: 'x', new_str: 'y' }, { readOnly });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/locked/);
    expect(read(root, 'test/a.test.ts')).toBe('x\n');
  });

  it('still lets a locked file be read', async () => {
    const root = makeRepo({ 'test/a.test.ts': 'locked but readable\n' });
    const r = await call(root, 'read_file', { path: 'test/a.test.ts' }, { readOnly: () => true });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toContain('locked but readable');
  });

  it('refuses AST edits to locked files too', async () => {
    const root = makeRepo({ 'spec.ts': 'export function f() {\n  return 1;\n}\n' });
    writeFileSync(path.join(root, 'other.ts'), '');
    const r = await call(
      root,
      'replace_body',
      { path: 'spec.ts', symbol: 'f', body: 'return 2;' },
      { readOnly: (p) => p === 'spec.ts' },
    );
    expect(r.ok).toBe(false);
    expect(read(root, 'spec.ts')).toBe('export function f() {\n  return 1;\n}\n');
  });
});
