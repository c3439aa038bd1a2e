/** When the compiled CLI is stale: a source, a tsconfig or the lockfile (dist/ bundles installed packages) changed after the last build. */
import { closeSync, mkdirSync, mkdtempSync, openSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Plain JavaScript without types (the launcher reads it before anything is compiled).
const modulePath = '../../src/cli/build-state.mjs';
const { buildState, STAMP } = (await import(modulePath)) as { buildState: (root: string) => { stale: boolean; reason?: string }; STAMP: string };

function pkg(): { root: string; touch: (rel: string, secondsAfterBuild: number) => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-buildstate-'));
  mkdirSync(path.join(root, 'src'));
  mkdirSync(path.join(root, 'dist'));
  const built = new Date('2026-12-01T00:00:00Z');
  const touch = (rel: string, secondsAfterBuild: number) => {
    const f = path.join(root, rel);
    closeSync(openSync(f, 'a'));
    const t = new Date(built.getTime() + secondsAfterBuild * 1000);
    utimesSync(f, t, t);
  };
  writeFileSync(path.join(root, 'src', 'a.ts'), '');
  touch('src/a.ts', -60);
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  touch('package-lock.json', -60);
  touch(`dist/${STAMP}`, 0);
  return { root, touch };
}

describe('buildState', () => {
  it('is current when nothing changed after the build', () => {
    expect(buildState(pkg().root)).toEqual({ stale: false });
  });

  it('is stale when a source changed after the build', () => {
    const p = pkg();
    p.touch('src/a.ts', 5);
    expect(buildState(p.root)).toEqual({ stale: true, reason: 'src/a.ts changed after the last build' });
  });

  it('is stale when the lockfile changed after the build (dist/ holds bundled packages)', () => {
    const p = pkg();
    p.touch('package-lock.json', 5);
    expect(buildState(p.root)).toEqual({ stale: true, reason: 'package-lock.json changed after the last build' });
  });
});
