/** The repo map from the TypeScript program: graph edges, ranking for a task, budget, determinism, fallback. */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { gitFileLister } from '../../src/tools/files.ts';
import { buildRepoIndex, localize } from '../../src/context/localize.ts';
import { renderRepoMap } from '../../src/context/render.ts';
import { prepareRunContext } from '../../src/context/run-context.ts';
import { LIBRARY, makeRepo } from './fixture.ts';

const made: string[] = [];
const repo = (files: Record<string, string>) => {
  const root = makeRepo(files);
  made.push(root);
  return root;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('repo graph', () => {
  it('resolves path aliases, workspace packages across tsconfig references, and require() in JS files', async () => {
    const root = repo(LIBRARY);
    const index = buildRepoIndex(root, await gitFileLister(root));
    const imports = (f: string) => [...(index.graph.files.get(f)?.imports.keys() ?? [])].sort();
    expect(imports('packages/core/src/url.ts')).toEqual(['packages/core/src/strings.ts']);
    expect(imports('packages/app/src/main.ts')).toEqual(['packages/core/src/index.ts']);
    expect(imports('packages/core/src/text.js')).toEqual(['packages/core/src/case.js']);
    expect(index.graph.files.get('packages/core/src/index.ts')?.imports.get('packages/core/src/url.ts')).toEqual(['parseURL']);
    const url = index.graph.files.get('packages/core/src/url.ts')!.symbols;
    expect(url.map((s) => `${s.parent ?? ''}.${s.name}:${s.line}-${s.endLine}`)).toEqual(['.parseURL:3-6', '.Router:7-11', 'Router.route:8-10']);
    expect(url[0]!.signature).toBe('export function parseURL(input: string): { host: string; path: string }');
    expect(index.graph.files.get('packages/core/src/text.js')!.symbols.map((s) => s.name)).toEqual(['slugify']);
  });
});

describe('ranking and rendering', () => {
  it('puts the file declaring the named symbol first and the test file out of the candidates', async () => {
    const root = repo(LIBRARY);
    const index = buildRepoIndex(root, await gitFileLister(root));
    const loc = localize(index, { task: 'parseURL drops the port when the host has one' });
    expect(loc.candidates[0]!.file).toBe('packages/core/src/url.ts');
    expect(loc.candidates[0]!.symbols[0]).toMatchObject({ name: 'parseURL', line: 3, endLine: 6 });
    expect(loc.candidates.map((c) => c.file)).not.toContain('packages/core/src/url.test.ts');
    // What parseURL relies on ranks above unrelated code.
    const order = loc.ranked.map((r) => r.file);
    expect(order.indexOf('packages/core/src/strings.ts')).toBeLessThan(order.indexOf('packages/core/src/case.js'));
  });

  it('follows the failing tests: their imports and stack frames outrank word matches', async () => {
    const root = repo(LIBRARY);
    const index = buildRepoIndex(root, await gitFileLister(root));
    const byTest = localize(index, { task: 'slug output is wrong', tests: ['packages/core/src/url.test.ts::parses'] });
    expect(byTest.candidates[0]!.file).toBe('packages/core/src/url.ts');
    const byFrame = localize(index, { task: 'it crashes', failureText: 'TypeError: x\n    at splitOnce (packages/core/src/strings.ts:2:13)' });
    expect(byFrame.candidates[0]!.file).toBe('packages/core/src/strings.ts');
  });

  it('renders within the token budget, byte-identical for the same inputs', async () => {
    const root = repo(LIBRARY);
    const files = await gitFileLister(root);
    const a = prepareRunContext(root, files, 'parseURL drops the port', { mapTokens: 4096 });
    const b = prepareRunContext(root, files, 'parseURL drops the port', { mapTokens: 4096 });
    expect(a.context).toBe(b.context);
    expect(a.context).toContain('  3-6 export function parseURL(input: string): { host: string; path: string }');
    expect(a.context).toContain('1. packages/core/src/url.ts');
    const index = buildRepoIndex(root, files);
    const ranked = localize(index, { task: 'parseURL' }).ranked;
    for (const budget of [30, 60, 120]) {
      const map = renderRepoMap(ranked, budget);
      expect(Math.ceil(map.length / 4)).toBeLessThanOrEqual(budget);
    }
    expect(renderRepoMap(ranked, 30).split('\n').at(-1)).toMatch(/^… \d+ more files/);
  });

  it('degrades to the file list with a note when there is no TypeScript or JavaScript program', async () => {
    const root = repo({ 'main.py': 'print(1)\n', 'README.md': '# x\n' });
    const loc = localize(buildRepoIndex(root, await gitFileLister(root)), { task: 'fix main' });
    expect(loc.degraded).toBe(true);
    expect(loc.candidates).toEqual([]);
    expect(loc.map.split('\n')).toEqual(['(note: no TypeScript or JavaScript program found: this is the plain file list)', 'README.md', 'main.py']);
  });
});
