/** Which patchloop a validation server runs (protocol.ts `buildIdOf`): a rebuild or an edit changes it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIdOf } from '../../src/validate/server/protocol.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(name: string, files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-build-id-'));
  roots.push(root);
  const top = path.join(root, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
    writeFileSync(path.join(top, rel), text);
  }
  return top;
}

describe('buildIdOf', () => {
  it('a built dist/ is named by its build stamp: a new build is another patchloop, the same build the same', () => {
    const dist = tree('dist', { '.build-stamp': '', 'cli/main.js': 'export {}' });
    const first = buildIdOf(dist);
    expect(buildIdOf(dist)).toBe(first);
    expect(first).toMatch(/^dist:/);
    // build.mjs rewrites the stamp (new mtime) on every build
    utimesSync(path.join(dist, '.build-stamp'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(buildIdOf(dist)).not.toBe(first);
  });

  it('source (and an unstamped dist/) is named by its files: an edited module is another patchloop', () => {
    const src = tree('src', { 'a.ts': 'export const a = 1;', 'b/c.ts': 'export {}' });
    const first = buildIdOf(src);
    expect(buildIdOf(src)).toBe(first);
    writeFileSync(path.join(src, 'b/c.ts'), 'export const c = 2;');
    expect(buildIdOf(src)).not.toBe(first);
    const unstamped = tree('dist', { 'cli/main.js': 'export {}' });
    expect(buildIdOf(unstamped)).toMatch(/^[0-9a-f]{64}$/);
  });
});
