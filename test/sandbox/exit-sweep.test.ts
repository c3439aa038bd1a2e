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

const MODULE = pathToFileURL(fileURLToPath(new URL('../../src/sandbox/exit-sweep.ts', import.meta.url))).href;
const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-exit-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder laid out as a layer scratch dir: `nm0/upper/…` and overlayfs's `nm0/work/work` at mode 000. */
function folder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'nm0', 'work', 'work'), { recursive: true });
  mkdirSync(path.join(dir, 'nm0', 'upper'), { recursive: true });
  writeFileSync(path.join(dir, 'nm0', 'upper', 'written.txt'), 'x');
  chmodSync(path.join(dir, 'nm0', 'work', 'work'), 0o000);
  return dir;
}

/** Runs `body` (JS, with `removeAtExit` in scope) in a child node process and waits for its exit. */
function child(body: string): void {
  const script = `const { removeAtExit } = await import(${JSON.stringify(MODULE)});\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('removeAtExit', () => {
  it('removes a registered folder when the process exits, through overlayfs\'s mode-000 work dir', () => {
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
    chmodSync(path.join(kept, 'nm0', 'work', 'work'), 0o700);
  });

  it('sweeps on process.exit() too, not only when the event loop drains', () => {
    const dir = folder('exited');
    child(`removeAtExit(${JSON.stringify(dir)}); setInterval(() => {}, 1000); process.exit(0);`);
    expect(existsSync(dir)).toBe(false);
  });
});
