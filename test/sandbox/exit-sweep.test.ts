/**
 * sandbox/exit-sweep.ts: folders whose owner never got to clean up (a sandboxed command still
 * running when the process exits) are removed at exit; folders the owner removed or kept are not
 * touched. Each case runs in a child process, since the sweep runs on the process's `exit`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const moduleUrl = (rel: string) => pathToFileURL(fileURLToPath(new URL(`../../src/sandbox/${rel}`, import.meta.url))).href;
const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-exit-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with a file and a nested folder. */
function folder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'sub', 'written.txt'), 'x');
  return dir;
}

/** Runs `body` (JS, with `atExit`, `removeAtExit` and `removeLayersSync` in scope) in a child node process and waits for its exit. */
function child(body: string): void {
  const script = [
    `const { atExit, removeAtExit } = await import(${JSON.stringify(moduleUrl('exit-sweep.ts'))});`,
    `const { removeLayersSync } = await import(${JSON.stringify(moduleUrl('node-modules-layer.ts'))});`,
    body,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('removeAtExit', () => {
  it('removes a registered folder when the process exits', () => {
    const dir = folder('left');
    child(`removeAtExit(${JSON.stringify(dir)});`);
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves a folder its owner took off the sweep, and removes the others', () => {
    const kept = folder('kept');
    const left = folder('left-too');
    child(`const done = removeAtExit(${JSON.stringify(kept)}); removeAtExit(${JSON.stringify(left)}); done();`);
    expect(existsSync(kept)).toBe(true);
    expect(existsSync(left)).toBe(false);
  });

  it('sweeps on process.exit() too, not only when the event loop drains', () => {
    const dir = folder('exited');
    child(`removeAtExit(${JSON.stringify(dir)}); setInterval(() => {}, 1000); process.exit(0);`);
    expect(existsSync(dir)).toBe(false);
  });

  it('a clean-up that throws does not stop the others', () => {
    const dir = folder('after-a-throw');
    child(`atExit(() => { throw new Error('boom'); }); removeAtExit(${JSON.stringify(dir)});`);
    expect(existsSync(dir)).toBe(false);
  });

  it("a node_modules layer goes at exit through overlayfs's mode-000 work dir (removeLayersSync)", () => {
    const layerDir = path.join(root, 'layer', 'nm0');
    for (const sub of ['lower', 'upper', 'work/work']) mkdirSync(path.join(layerDir, sub), { recursive: true });
    writeFileSync(path.join(layerDir, 'upper', 'written.txt'), 'x');
    chmodSync(path.join(layerDir, 'work', 'work'), 0o000);
    child(`atExit(() => removeLayersSync([{ target: '/unused', layerDir: ${JSON.stringify(layerDir)} }]));`);
    expect(existsSync(layerDir)).toBe(false);
  });
});
