import { describe, expect, it } from 'vitest';
import { call, makeRepo, read } from './helpers.ts';

const CLASS_SRC = `import { x } from './x.ts';

/** A counter. */
export class Counter {
  private n = 0;

  constructor(start: number) {
    this.n = start;
  }

  get value(): number {
    return this.n;
  }

  set value(v: number) {
    this.n = v;
  }

  inc(by = 1): number {
    this.n += by;
    return this.n;
  }

  handle = (e: string) => {
    console.log(e);
  };
}

export const double = (a: number) => a * 2;

export function greet(name: string): string {
  return 'hi ' + name;
}
`;

describe('replace_body', () => {
  it('replaces a function declaration body, indented in the file style', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const r = await call(root, 'replace_body', {
      path: 'c.ts',
      symbol: 'greet',
      body: 'const s = `hi ${name}`;\nreturn s;',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(
      CLASS_SRC.replace("  return 'hi ' + name;\n", '  const s = `hi ${name}`;\n  return s;\n'),
    );
    expect(r.changedFiles).toEqual(['c.ts']);
    expect(r.diff).toContain("-  return 'hi ' + name;\n+  const s = `hi ${name}`;\n+  return s;");
  });

  it('replaces a class method body (Class.method), re-indenting 4-space model code to 2 spaces', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const body =
      '    if (by < 0) {\n        throw new Error("negative");\n    }\n    this.n += by;\n    return this.n;';
    const r = await call(root, 'replace_body', { path: 'c.ts', symbol: 'Counter.inc', body });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(
      CLASS_SRC.replace(
        '    this.n += by;\n    return this.n;\n  }\n\n  handle',
        '    if (by < 0) {\n      throw new Error("negative");\n    }\n    this.n += by;\n    return this.n;\n  }\n\n  handle',
      ),
    );
  });

  it('replaces a constructor body', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const r = await call(root, 'replace_body', {
      path: 'c.ts',
      symbol: 'Counter.constructor',
      body: 'this.n = start * 2;',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(CLASS_SRC.replace('this.n = start;', 'this.n = start * 2;'));
  });

  it('asks which accessor when a getter and setter share a name, and edits the one named', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const amb = await call(root, 'replace_body', { path: 'c.ts', symbol: 'Counter.value', body: 'return 0;' });
    expect(amb.ok).toBe(false);
    expect(amb.llmContent).toMatch(/"Counter\.get value" or "Counter\.set value"/);
    const r = await call(root, 'replace_body', {
      path: 'c.ts',
      symbol: 'Counter.set value',
      body: 'this.n = Math.max(0, v);',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(CLASS_SRC.replace('    this.n = v;', '    this.n = Math.max(0, v);'));
    const g = await call(root, 'replace_body', {
      path: 'c.ts',
      symbol: 'Counter.get value',
      body: 'return this.n + 0;',
    });
    expect(g.ok).toBe(true);
    expect(read(root, 'c.ts')).toContain('get value(): number {\n    return this.n + 0;\n  }');
  });

  it('replaces the body of an arrow-function property', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const r = await call(root, 'replace_body', { path: 'c.ts', symbol: 'Counter.handle', body: 'console.error(e);' });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(CLASS_SRC.replace('console.log(e);', 'console.error(e);'));
  });

  it('turns an expression-bodied arrow const into a block', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const r = await call(root, 'replace_body', { path: 'c.ts', symbol: 'double', body: 'return a + a;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'c.ts')).toBe(
      CLASS_SRC.replace(
        'export const double = (a: number) => a * 2;',
        'export const double = (a: number) => {\n  return a + a;\n};',
      ),
    );
  });

  it('replaces a function-expression variable body in a tab-indented JS file', async () => {
    const src = 'const f = function (a) {\n\treturn a;\n};\n';
    const root = makeRepo({ 'f.js': src });
    const r = await call(root, 'replace_body', {
      path: 'f.js',
      symbol: 'f',
      body: 'if (a) {\n  return 1;\n}\nreturn 0;',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'f.js')).toBe('const f = function (a) {\n\tif (a) {\n\t\treturn 1;\n\t}\n\treturn 0;\n};\n');
  });

  it('leaves multi-line template literal contents exactly as written', async () => {
    const src = 'export function t() {\n  return 1;\n}\n';
    const root = makeRepo({ 't.ts': src });
    const body = 'const s = `line1\n      keep   this\nend`;\nreturn s;';
    const r = await call(root, 'replace_body', { path: 't.ts', symbol: 't', body });
    expect(r.ok).toBe(true);
    expect(read(root, 't.ts')).toBe(
      'export function t() {\n  const s = `line1\n      keep   this\nend`;\n  return s;\n}\n',
    );
  });

  it('keeps template literal contents in a .ts body that also uses an angle-bracket cast', async () => {
    const root = makeRepo({ 't.ts': 'export function t(x: unknown) {\n  return 1;\n}\n' });
    const body = 'const s = <string>x;\nreturn `a\n    b ${s}\n  c`;';
    const r = await call(root, 'replace_body', { path: 't.ts', symbol: 't', body });
    expect(r.ok).toBe(true);
    expect(read(root, 't.ts')).toBe(
      'export function t(x: unknown) {\n  const s = <string>x;\n  return `a\n    b ${s}\n  c`;\n}\n',
    );
  });

  it('keeps CRLF line breaks', async () => {
    const src = 'export function f() {\r\n  return 1;\r\n}\r\n';
    const root = makeRepo({ 'f.ts': src });
    const r = await call(root, 'replace_body', { path: 'f.ts', symbol: 'f', body: 'const x = 2;\nreturn x;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'f.ts')).toBe('export function f() {\r\n  const x = 2;\r\n  return x;\r\n}\r\n');
  });

  it('names what exists when the symbol is not found', async () => {
    const root = makeRepo({ 'c.ts': CLASS_SRC });
    const fn = await call(root, 'replace_body', { path: 'c.ts', symbol: 'greeet', body: 'return 1;' });
    expect(fn.ok).toBe(false);
    expect(fn.llmContent).toMatch(/no top-level function "greeet".*Top-level declarations: Counter, double, greet/);
    const m = await call(root, 'replace_body', { path: 'c.ts', symbol: 'Counter.dec', body: 'return 1;' });
    expect(m.ok).toBe(false);
    expect(m.llmContent).toMatch(/Members: n, constructor, get value, set value, inc, handle/);
    const cls = await call(root, 'replace_body', { path: 'c.ts', symbol: 'Nope.inc', body: 'return 1;' });
    expect(cls.llmContent).toMatch(/no top-level class or object "Nope"/);
    expect(read(root, 'c.ts')).toBe(CLASS_SRC);
  });

  it('replaces methods and arrow properties of a top-level object literal (obj.method)', async () => {
    const src =
      'export const api = {\n  get(id: string) {\n    return id;\n  },\n  put: (v: number) => v,\n} satisfies object;\n';
    const root = makeRepo({ 'o.ts': src });
    const m = await call(root, 'replace_body', { path: 'o.ts', symbol: 'api.get', body: 'return id.trim();' });
    expect(m.ok).toBe(true);
    const p = await call(root, 'replace_body', { path: 'o.ts', symbol: 'api.put', body: 'return v + 1;' });
    expect(p.ok).toBe(true);
    expect(read(root, 'o.ts')).toBe(
      'export const api = {\n  get(id: string) {\n    return id.trim();\n  },\n  put: (v: number) => {\n    return v + 1;\n  },\n} satisfies object;\n',
    );
    const miss = await call(root, 'replace_body', { path: 'o.ts', symbol: 'api.del', body: 'return 1;' });
    expect(miss.llmContent).toMatch(/object api has no function "del". Members: get, put/);
  });

  it('refuses non-JS/TS files', async () => {
    const root = makeRepo({ 'a.py': 'def f():\n  pass\n' });
    const r = await call(root, 'replace_body', { path: 'a.py', symbol: 'f', body: 'return 1' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/not a TypeScript\/JavaScript file.*str_replace/);
  });
});

describe('replace_declaration', () => {
  it('replaces a top-level function, keeping its JSDoc when the new code has none', async () => {
    const src = '/** Greets. */\nexport function greet(n: string) {\n  return n;\n}\n\nexport const z = 1;\n';
    const root = makeRepo({ 'g.ts': src });
    const r = await call(root, 'replace_declaration', {
      path: 'g.ts',
      symbol: 'greet',
      code: 'export function greet(n: string, loud = false) {\n  return loud ? n.toUpperCase() : n;\n}',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'g.ts')).toBe(
      '/** Greets. */\nexport function greet(n: string, loud = false) {\n  return loud ? n.toUpperCase() : n;\n}\n\nexport const z = 1;\n',
    );
  });

  it('replaces the JSDoc too when the new code starts with a comment', async () => {
    const src = '/** Old doc. */\nexport type Id = string;\n';
    const root = makeRepo({ 'g.ts': src });
    const r = await call(root, 'replace_declaration', {
      path: 'g.ts',
      symbol: 'Id',
      code: '/** New doc. */\nexport type Id = string | number;',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'g.ts')).toBe('/** New doc. */\nexport type Id = string | number;\n');
  });

  it('replaces an interface, an enum and a variable statement', async () => {
    const src = 'interface A {\n  a: number;\n}\nenum E {\n  X,\n}\nconst v = 1,\n  w = 2;\n';
    const root = makeRepo({ 'g.ts': src });
    expect(
      (
        await call(root, 'replace_declaration', {
          path: 'g.ts',
          symbol: 'A',
          code: 'interface A {\n  a: number;\n  b?: string;\n}',
        })
      ).ok,
    ).toBe(true);
    expect(
      (await call(root, 'replace_declaration', { path: 'g.ts', symbol: 'E', code: 'enum E {\n  X,\n  Y,\n}' })).ok,
    ).toBe(true);
    expect(
      (await call(root, 'replace_declaration', { path: 'g.ts', symbol: 'w', code: 'const v = 10, w = 20;' })).ok,
    ).toBe(true);
    expect(read(root, 'g.ts')).toBe(
      'interface A {\n  a: number;\n  b?: string;\n}\nenum E {\n  X,\n  Y,\n}\nconst v = 10, w = 20;\n',
    );
  });

  it('replaces all overload signatures with the implementation', async () => {
    const src =
      'export function f(a: string): string;\nexport function f(a: number): number;\nexport function f(a: any) {\n  return a;\n}\nf(1);\n';
    const root = makeRepo({ 'o.ts': src });
    const r = await call(root, 'replace_declaration', {
      path: 'o.ts',
      symbol: 'f',
      code: 'export function f<T>(a: T): T {\n  return a;\n}',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'o.ts')).toBe('export function f<T>(a: T): T {\n  return a;\n}\nf(1);\n');
  });

  it('notes when an exported declaration loses its export', async () => {
    const root = makeRepo({ 'g.ts': 'export const a = 1;\n' });
    const r = await call(root, 'replace_declaration', { path: 'g.ts', symbol: 'a', code: 'const a = 2;' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toMatch(/a was exported and the new code is not/);
  });

  it('fails on a missing name or a merged declaration', async () => {
    const root = makeRepo({ 'g.ts': 'interface A { a: 1 }\ninterface A { b: 2 }\n' });
    const missing = await call(root, 'replace_declaration', { path: 'g.ts', symbol: 'B', code: 'type B = 1;' });
    expect(missing.llmContent).toMatch(/no top-level declaration "B".*Top-level declarations: A/);
    const twice = await call(root, 'replace_declaration', { path: 'g.ts', symbol: 'A', code: 'interface A {}' });
    expect(twice.llmContent).toMatch(/declared 2 times \(lines 1, 2\)/);
  });
});

describe('insert_declaration', () => {
  it('inserts after a named declaration with blank lines around it', async () => {
    const src = 'export function a() {}\n\nexport function c() {}\n';
    const root = makeRepo({ 'i.ts': src });
    const r = await call(root, 'insert_declaration', {
      path: 'i.ts',
      after: 'a',
      code: 'export function b() {\n    return 2;\n}',
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'i.ts')).toBe(
      'export function a() {}\n\nexport function b() {\n  return 2;\n}\n\nexport function c() {}\n',
    );
  });

  it('inserts after a trailing line comment, not inside it', async () => {
    const root = makeRepo({ 'i.ts': 'const a = 1; // one\nconst c = 3;\n' });
    const r = await call(root, 'insert_declaration', { path: 'i.ts', after: 'a', code: 'const b = 2;' });
    expect(r.ok).toBe(true);
    expect(read(root, 'i.ts')).toBe('const a = 1; // one\n\nconst b = 2;\nconst c = 3;\n');
  });

  it('appends at the end of the file by default', async () => {
    const root = makeRepo({ 'i.ts': 'const a = 1;\n' });
    const r = await call(root, 'insert_declaration', { path: 'i.ts', code: 'export const b = 2;\n' });
    expect(r.ok).toBe(true);
    expect(read(root, 'i.ts')).toBe('const a = 1;\n\nexport const b = 2;\n');
  });

  it('fails when `after` does not exist', async () => {
    const root = makeRepo({ 'i.ts': 'const a = 1;\n' });
    const r = await call(root, 'insert_declaration', { path: 'i.ts', after: 'zz', code: 'const b = 2;' });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/after: no top-level declaration "zz"/);
  });
});
