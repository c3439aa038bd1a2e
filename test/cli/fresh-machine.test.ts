/**
 * Issue 16: the README's set-up block is what CI runs, and `npm test`'s pre-flight names exactly
 * the system packages a fresh machine lacks (hidden here by a PATH without them).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli.ts';
import { installCommand, SYSTEM_PACKAGES } from '../../src/cli/system-packages.ts';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const ciRun = readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8');

/** The commands of the README's "Set up, run, test" block up to and including `npm ci`. */
function setupLines(): string[] {
  const section = readme.slice(readme.indexOf('## Set up, run, test'));
  const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  return lines.slice(0, lines.findIndex((l) => l.startsWith('npm ci')) + 1);
}

describe('README set-up block', () => {
  it('installs every system package in the shared list, then npm ci', () => {
    const lines = setupLines();
    expect(lines[0]).toBe(installCommand(SYSTEM_PACKAGES));
    expect(lines.at(-1)).toMatch(/^npm ci\b/);
  });

  it('is run verbatim by .ci/run, before the tests', () => {
    const ci = ciRun.split('\n');
    for (const line of setupLines()) expect(ci, line).toContain(line);
    expect(ciRun.indexOf(setupLines()[0]!)).toBeLessThan(ciRun.indexOf('npm test'));
    expect(ciRun).toContain('npm run test:e2e');
  });
});

describe('npm test pre-flight', () => {
  const preflight = (PATH: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/preflight.ts')], { cwd: REPO_ROOT, env: { ...process.env, PATH }, encoding: 'utf8' });

  it('with bwrap, tmux, chromium and redis-server hidden names exactly those four, once, with their install command', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'patchloop-path-'));
    for (const tool of ['git', 'prlimit', 'sh']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const r = preflight(bin);
    expect(r.status).toBe(1);
    const named = [...r.stderr.matchAll(/^ {2}(\S+) +\((\S+) not on PATH\)/gm)].map((m) => m[1]);
    expect(named).toEqual(['bubblewrap', 'tmux', 'chromium', 'redis-server']);
    expect(r.stderr).toContain('  apt-get update && apt-get install -y bubblewrap tmux chromium redis-server\n');
    expect(r.stderr.match(/npm test needs/g)).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('with git hidden too, adds git (and nothing on a PATH with everything)', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'patchloop-path-'));
    const r = preflight(empty);
    expect([...r.stderr.matchAll(/^ {2}(\S+) +\(/gm)].map((m) => m[1])).toEqual(SYSTEM_PACKAGES.map((p) => p.pkg));
    const full = preflight(process.env['PATH'] ?? '');
    expect({ status: full.status, stderr: full.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
