import { describe, expect, it } from 'vitest';
import { call, makeRepo, read } from './helpers.ts';

const SRC =
  'export function f(a: number): number {\n  return a;\n}\n\nexport class K {\n  m() {\n    return 1;\n  }\n}\n';

describe('an AST edit that would break the syntax is not written', () => {
  it('replace_body with an unbalanced brace leaves the file byte-identical and quotes the error', async () => {
    const root = makeRepo({ 'f.ts': SRC });
    const r = await call(root, 'replace_body', { path: 'f.ts', symbol: 'f', body: 'if (a) {\n  return 1;' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/syntax error \(line \d+: .+\); nothing was written/);
    expect(r.diff).toBeUndefined();
    expect(read(root, 'f.ts')).toBe(SRC);
  });

  it('replace_declaration with broken code leaves the file byte-identical', async () => {
    const root = makeRepo({ 'f.ts': SRC });
    const r = await call(root, 'replace_declaration', {
      path: 'f.ts',
      symbol: 'K',
      code: 'export class K {\n  m() { return 1 +; }\n}',
    });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/Expression expected/);
    expect(read(root, 'f.ts')).toBe(SRC);
  });

  it('insert_declaration with broken code leaves the file byte-identical', async () => {
    const root = makeRepo({ 'f.ts': SRC });
    const r = await call(root, 'insert_declaration', { path: 'f.ts', code: 'const = 3;' });
    expect(r.ok).toBe(false);
    expect(read(root, 'f.ts')).toBe(SRC);
  });

  it('a body that closes the function early is caught too', async () => {
    const root = makeRepo({ 'f.ts': SRC });
    const r = await call(root, 'replace_body', {
      path: 'f.ts',
      symbol: 'K.m',
      body: 'return 2;\n}\n}\nfunction x() {',
    });
    // Balanced braces, yet the class member list now holds a `function` keyword: a syntax error.
    expect(r.ok).toBe(false);
    expect(read(root, 'f.ts')).toBe(SRC);
  });

  it('an already-broken file can still be repaired by an edit that adds no new error', async () => {
    const broken = 'export function f() {\n  return 1 +;\n}\n';
    const root = makeRepo({ 'b.ts': broken });
    const r = await call(root, 'replace_body', { path: 'b.ts', symbol: 'f', body: 'return 1;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'b.ts')).toBe('export function f() {\n  return 1;\n}\n');
  });
});

describe("str_replace's syntax note (TypeScript's own API, no ts-morph project)", () => {
  it('warns, with the line, when a TS edit leaves a syntax error, and writes anyway', async () => {
    const root = makeRepo({ 'f.ts': SRC });
    const r = await call(root, 'str_replace', { path: 'f.ts', old_str: '  return a;', new_str: '  return a +;' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toMatch(/Warning: f\.ts now has a syntax error \(line 2: Expression expected\.\)/);
    expect(read(root, 'f.ts')).toContain('return a +;');
  });

  it('applies the JS-only grammar to a .js file (a type annotation is an error there, not in .ts)', async () => {
    const js = 'export function f(a) {\n  return a;\n}\n';
    const root = makeRepo({ 'f.js': js, 'g.ts': js });
    const inJs = await call(root, 'str_replace', { path: 'f.js', old_str: 'f(a)', new_str: 'f(a: number)' });
    expect(inJs.llmContent).toMatch(/now has a syntax error \(line 1: Type annotations can only be used in TypeScript files\.\)/);
    const inTs = await call(root, 'str_replace', { path: 'g.ts', old_str: 'f(a)', new_str: 'f(a: number)' });
    expect(inTs.llmContent).not.toMatch(/syntax error/);
  });

  it('parses .tsx as JSX and .ts as TypeScript (`<T>x` is a cast only in .ts)', async () => {
    const root = makeRepo({ 'c.ts': 'export const x = 1;\n', 'c.tsx': 'export const x = 1;\n' });
    const ts = await call(root, 'str_replace', { path: 'c.ts', old_str: '1;', new_str: '<number>y;' });
    expect(ts.llmContent).not.toMatch(/syntax error/);
    const tsx = await call(root, 'str_replace', { path: 'c.tsx', old_str: '1;', new_str: '<number>y;' });
    expect(tsx.llmContent).toMatch(/syntax error/);
  });
});
