import { describe, expect, it } from 'vitest';
import { call, makeRepo, read } from './helpers.ts';

const SRC = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function sub(a, b) {\n  return a - b;\n}\n';

describe('str_replace', () => {
  it('replaces a unique match and returns the diff and changed file', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', { path: 'm.js', old_str: 'return a - b;', new_str: 'return a - b - 0;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'm.js')).toBe(SRC.replace('return a - b;', 'return a - b - 0;'));
    expect(r.changedFiles).toEqual(['m.js']);
    expect(r.diff).toBe(
      '--- a/m.js\n+++ b/m.js\n@@ -3,5 +3,5 @@\n }\n \n export function sub(a, b) {\n-  return a - b;\n+  return a - b - 0;\n }\n',
    );
  });

  it('with no match, shows the closest lines numbered and leaves the file alone', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', {
      path: 'm.js',
      old_str: 'export function sub(a, b) {\n    return a - b;',
      new_str: 'x',
    });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/old_str was not found in m\.js/);
    expect(r.llmContent).toContain('  5| export function sub(a, b) {');
    expect(r.llmContent).toContain('  6|   return a - b;');
    expect(read(root, 'm.js')).toBe(SRC);
  });

  it('with nothing similar, says to read the file', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', { path: 'm.js', old_str: 'zzzz qqqq', new_str: 'x' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/Nothing similar found/);
  });

  it('with two matches, gives the line of each', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', { path: 'm.js', old_str: '(a, b) {', new_str: '(a, b, c) {' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/occurs 2 times in m\.js \(starting at lines 1, 5\)/);
    expect(read(root, 'm.js')).toBe(SRC);
  });

  it('accepts LF old_str in a CRLF file and keeps CRLF line breaks', async () => {
    const crlf = 'a\r\nb\r\nc\r\n';
    const root = makeRepo({ 'x.txt': crlf });
    const r = await call(root, 'str_replace', { path: 'x.txt', old_str: 'a\nb', new_str: 'a\nB\nb' });
    expect(r.ok).toBe(true);
    expect(read(root, 'x.txt')).toBe('a\r\nB\r\nb\r\nc\r\n');
  });

  it('can delete text with an empty new_str', async () => {
    const root = makeRepo({ 'x.txt': 'keep\ndrop\nkeep2\n' });
    const r = await call(root, 'str_replace', { path: 'x.txt', old_str: 'drop\n', new_str: '' });
    expect(r.ok).toBe(true);
    expect(read(root, 'x.txt')).toBe('keep\nkeep2\n');
  });

  it('rejects a missing file with a pointer to create_file', async () => {
    const root = makeRepo();
    const r = await call(root, 'str_replace', { path: 'nope.ts', old_str: 'a', new_str: 'b' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/does not exist.*create_file/);
  });

  it('names the bad field when input is invalid', async () => {
    const root = makeRepo({ 'x.txt': 'a' });
    const r = await call(root, 'str_replace', { path: 'x.txt', old: 'a', new_str: 'b' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/old_str: expected string/);
    expect(r.llmContent).toMatch(/unknown field\(s\) "old"/);
  });
});

describe('create_file', () => {
  it('creates a file and its directories, with a /dev/null diff', async () => {
    const root = makeRepo();
    const r = await call(root, 'create_file', { path: 'src/deep/new.ts', content: 'export const x = 1;\n' });
    expect(r.ok).toBe(true);
    expect(read(root, 'src/deep/new.ts')).toBe('export const x = 1;\n');
    expect(r.changedFiles).toEqual(['src/deep/new.ts']);
    expect(r.diff).toBe('--- /dev/null\n+++ b/src/deep/new.ts\n@@ -0,0 +1,1 @@\n+export const x = 1;\n');
  });

  it('refuses to overwrite an existing file', async () => {
    const root = makeRepo({ 'a.ts': 'old\n' });
    const r = await call(root, 'create_file', { path: 'a.ts', content: 'new\n' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/a\.ts already exists/);
    expect(read(root, 'a.ts')).toBe('old\n');
  });
});

describe('str_replace hints', () => {
  it('points out pasted read_file line-number prefixes', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', { path: 'm.js', old_str: '  2|   return a + b;', new_str: 'x' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/line-number prefixes from read_file; leave them out/);
  });

  it('writes but warns when a TS/JS replacement introduces a syntax error', async () => {
    const root = makeRepo({ 'm.js': SRC });
    const r = await call(root, 'str_replace', { path: 'm.js', old_str: 'return a + b;', new_str: 'return a +;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'm.js')).toContain('return a +;');
    expect(r.llmContent).toMatch(/Warning: m\.js now has a syntax error \(line 2: Expression expected\.\)/);
    const ok = await call(root, 'str_replace', { path: 'm.js', old_str: 'return a - b;', new_str: 'return b - a;' });
    expect(ok.llmContent).not.toMatch(/Warning/);
  });
});
