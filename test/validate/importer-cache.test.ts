/**
 * validate/sandboxed/worker-types.mjs: an importer's diagnostics are reused only while nothing it
 * may depend on changed. Found 2026-12-03: a warm validation server kept session 1's diagnostics
 * of an importer after session 1's other edit was put back, and reported (or hid) a type error a
 * fresh check does not (or does). The repository's TypeScript is this project's own; real files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let root: string;
const abs = (f: string) => path.join(root, f);
const write = (f: string, text: string) => writeFileSync(abs(f), text);
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-importer-cache-'));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['*.ts'] }));
  write('x.ts', 'export function f(): number { return 1; }\n');
  write('y.ts', 'export const n: number = 1;\n');
  write('i.ts', "import { f } from './x';\nimport { n } from './y';\nexport const s: number = n + f();\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Services = { diagnostics(req: { changed?: string[]; touched?: string[]; importersOf?: string[] }): { diagnostics: { file: string; code: number }[]; importersCached: number } };
// Plain JavaScript run by the sandboxed worker (no declaration file): typed here by what the test uses.
const { createTypeServices } = (await import(new URL('../../src/validate/sandboxed/worker-types.mjs', import.meta.url).href)) as { createTypeServices: (t: typeof ts, root: string) => Services };
const services = () => createTypeServices(ts, root);
/** `file:TScode` of each diagnostic, and how many importers came from the cache. */
function check(svc: Services, changed: string[], touched: string[]) {
  const r = svc.diagnostics({ changed: changed.map(abs), touched: touched.map(abs), importersOf: touched.map(abs) });
  return { errors: r.diagnostics.map((d) => `${path.relative(root, d.file)}:TS${d.code}`), cached: r.importersCached };
}

describe('importer diagnostics cache', () => {
  it('reuses an importer after a body-only edit of the touched file (nothing else changed)', () => {
    const svc = services();
    write('x.ts', 'export function f(): number { return 2; }\n');
    expect(check(svc, ['x.ts'], ['x.ts'])).toEqual({ errors: [], cached: 0 });
    write('x.ts', 'export function f(): number { return 3; }\n');
    expect(check(svc, ['x.ts'], ['x.ts'])).toEqual({ errors: [], cached: 1 });
  });

  it('a file an earlier session changed and put back: the importer is checked again (a server\'s next run)', () => {
    const svc = services();
    // Session 1: y's n becomes a string, so i breaks; x changes in its body only.
    write('y.ts', "export const n: string = 'a';\n");
    write('x.ts', 'export function f(): number { return 2; }\n');
    expect(check(svc, ['x.ts', 'y.ts'], ['x.ts', 'y.ts']).errors).toEqual(['i.ts:TS2322']);
    // Session 2 touches only x (the same text); y is back at base: i is fine, as a fresh check says.
    write('y.ts', 'export const n: number = 1;\n');
    expect(check(svc, ['x.ts', 'y.ts'], ['x.ts'])).toEqual({ errors: [], cached: 0 });
    expect(check(services(), [], ['x.ts']).errors).toEqual([]);
  });

  it('a touched file deleted in a later iteration: its importer\'s error shows', () => {
    const svc = services();
    write('x.ts', 'export function f(): number { return 2; }\n');
    write('y.ts', 'export const n: number = 2;\n');
    expect(check(svc, ['x.ts', 'y.ts'], ['x.ts', 'y.ts']).errors).toEqual([]);
    rmSync(abs('y.ts'));
    // y no longer exists, so only x is checked; i cannot find './y' any more.
    expect(check(svc, ['x.ts', 'y.ts'], ['x.ts']).errors).toEqual(['i.ts:TS2307']);
  });
});
