/**
 * Temp git copies of the failure-mode fixture: copy `test/fixtures/failure-modes/repo`, symlink
 * patchloop's node_modules into it, commit as `base`, optionally apply a candidate patch with
 * `git apply`, and run the fixture's vitest suite with the JSON reporter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCaseResult, TestRunResult } from '../../../src/sandbox/types.ts';

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

interface VitestJson {
  testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
}

/** Runs the fixture's tests with vitest's JSON reporter and maps them to a `TestRunResult`. */
export function runFixtureTests(root: string): TestRunResult {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(MAIN_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, '--reporter=json', '--outputFile=report.json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
  });
  const report = JSON.parse(readFileSync(path.join(root, 'report.json'), 'utf8')) as VitestJson;
  const rel = (s: string) => s.split(root + '/').join('');
  const tests: TestCaseResult[] = report.testResults.flatMap((file) =>
    file.assertionResults.map((a) => {
      const fullName = [...a.ancestorTitles, a.title].join(' > ');
      const fail = a.failureMessages.join('\n');
      const lines = rel(fail).split('\n');
      return {
        id: `${rel(file.name)}::${fullName}`,
        file: rel(file.name),
        fullName,
        status: a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped',
        message: fail ? lines[0] : undefined,
        stack: fail ? lines.filter((l) => /^\s+at /.test(l) && !l.includes('node_modules')).slice(0, 5).join('\n') : undefined,
      } satisfies TestCaseResult;
    }),
  );
  const failures = tests.filter((t) => t.status === 'failed');
  return {
    passed: r.status === 0 && failures.length === 0,
    command: { exitCode: r.status, signal: r.signal, reason: 'exit', output: rel((r.stdout ?? '') + (r.stderr ?? '')), bytesCut: 0, durationMs: Date.now() - started, backend: 'process' },
    tests,
    failures,
  };
}
