/**
 * Temp git copies of the failure-mode fixture: copy `test/fixtures/failure-modes/repo`, symlink
 * patchloop's node_modules into it, commit as `base`, optionally apply a candidate patch with
 * `git apply`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecurityLinter } from '../../../src/validate/security.ts';
import type { Finding } from '../../../src/validate/types.ts';
import { Workspace } from '../../../src/validate/workspace.ts';

export const MAIN_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../../..');
export const FIXTURE = path.join(MAIN_ROOT, 'test/fixtures/failure-modes');

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** A committed temp copy of the fixture repo (branch `base`). Call `cleanup` when done. */
export function makeFixtureRepo(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-validate-'));
  cpSync(path.join(FIXTURE, 'repo'), root, { recursive: true });
  symlinkSync(path.join(MAIN_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  git(root, 'init', '-q', '-b', 'base');
  // node_modules is a symlink: keep it out of git like a real checkout would.
  git(root, 'add', '.', ':!node_modules');
  git(root, 'commit', '-qm', 'base');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Applies `patches/<name>.patch` to the working tree; returns the files it touched. */
export function applyPatch(root: string, name: string): string[] {
  const patch = path.join(FIXTURE, 'patches', `${name}.patch`);
  git(root, 'apply', '--whitespace=nowarn', patch);
  return git(root, 'apply', '--numstat', patch)
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[2]!)
    .filter(Boolean);
}

/** The fixture's test command: vitest straight from patchloop's node_modules (no npx start-up). */
export const VITEST_CMD = `node ${path.join(MAIN_ROOT, 'node_modules/vitest/vitest.mjs')} run`;

/**
 * A committed temp git repo (branch `base`) made of `files` (path → text), with node_modules linked.
 * `write` changes the working tree afterwards (the candidate edit).
 */
export function makeRepo(files: Record<string, string>): { root: string; write: (files: Record<string, string>) => string[]; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-validate-'));
  const write = (fs: Record<string, string>) => {
    for (const [rel, text] of Object.entries(fs)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return Object.keys(fs);
  };
  write(files);
  symlinkSync(path.join(MAIN_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  git(root, 'init', '-q', '-b', 'base');
  git(root, 'add', '.', ':!node_modules');
  git(root, 'commit', '-qm', 'base', '--allow-empty');
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A strict NodeNext tsconfig for unit-test repos. */
export const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: [], lib: ['ES2022'] },
  include: ['src/**/*.ts'],
});

/**
 * Copies `MAIN_ROOT/node_modules/<name>` into `<root>/node_modules/<as>`: a copy, not a symlink, so the
 * package is there inside the sandbox even when this checkout sits under /tmp (which the sandbox
 * replaces with a private one, and symlinks inside a worktree's own node_modules are not bound back).
 */
export function copyPackage(root: string, name: string, as = name): void {
  cpSync(path.join(MAIN_ROOT, 'node_modules', name), path.join(root, 'node_modules', as), { recursive: true, dereference: true });
}

/** Writes `files` into `repo` and runs the security validator on them (a fresh workspace each time). */
export async function scanSecurity(repo: ReturnType<typeof makeRepo>, files: Record<string, string>): Promise<Finding[]> {
  const touched = repo.write(files);
  const ws = new Workspace(repo.root, 'base');
  ws.refresh(touched);
  return new SecurityLinter(ws).validate({ root: repo.root, baseRef: 'base', touchedFiles: touched });
}
