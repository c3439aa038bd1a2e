/**
 * The repo map's facts cache: a second index of the same repository parses only the files whose
 * text changed, and builds the same graph as a fresh parse; a damaged cache file is ignored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRepoIndex } from '../../src/context/localize.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-facts-'));
const cacheFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-facts-cache-')), 'repo.json');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(path.dirname(cacheFile), { recursive: true, force: true });
});
const write = (files: Record<string, string>) => {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return Object.keys(files);
};
const graphOf = (idx: ReturnType<typeof buildRepoIndex>) => [...idx.graph.files.values()].map((n) => ({ ...n, imports: [...n.imports] }));

describe('repo-map facts cache', () => {
  const files = write({
    'src/a.ts': 'export function a(x: number): number {\n  return x + 1;\n}\n',
    'src/b.ts': "import { a } from './a';\nexport const b = () => a(1);\n",
    'src/c.ts': "export * from './b';\nexport class C {\n  m(): void {}\n}\n",
  });

  it('parses only changed files the second time, with the same graph as a fresh index', () => {
    const first = buildRepoIndex(root, files, { cacheFile });
    expect(first.parsedNow).toBe(3);
    const again = buildRepoIndex(root, files, { cacheFile });
    expect(again.parsedNow).toBe(0);
    expect(graphOf(again)).toEqual(graphOf(first));

    write({ 'src/b.ts': "import { a } from './a';\nexport const b = () => a(2);\nexport function bb(): void {}\n" });
    const changed = buildRepoIndex(root, files, { cacheFile });
    expect(changed.parsedNow).toBe(1);
    expect(graphOf(changed)).toEqual(graphOf(buildRepoIndex(root, files)));
    expect(changed.graph.files.get('src/b.ts')!.symbols.map((s) => s.name)).toEqual(['b', 'bb']);
  });

  it('ignores a damaged or foreign cache file and rewrites it', () => {
    writeFileSync(cacheFile, JSON.stringify({ version: 1, entries: { x: { symbols: 'not a list' } } }));
    const idx = buildRepoIndex(root, files, { cacheFile });
    expect(idx.parsedNow).toBe(3);
    expect(Object.keys((JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries)).toHaveLength(3);
    expect(buildRepoIndex(root, files, { cacheFile }).parsedNow).toBe(0);
  });
});
