/**
 * `tasks mine`: task instances from a repository's history. A candidate commit changes source and
 * test files; its tests run in the sandbox at the parent with the test change applied, then at the
 * commit. FAIL_TO_PASS = passing at the commit and failing or missing at the parent; PASS_TO_PASS =
 * passing at both; tests failing at both are left out and counted. A candidate without a
 * FAIL_TO_PASS test is dropped with its reason. All repository code (install scripts, configs,
 * tests) runs in the sandbox; the host only runs git.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hardenedGit } from '../git/repo.ts';
import { runTests } from '../sandbox/run-tests.ts';
import type { Sandbox, TestCaseResult } from '../sandbox/types.ts';
import { isDependencyFile, isRunnableTest, splitChanges } from './classify.ts';
import { ensureDependencies } from './deps-cache.ts';
import { detectSetup, installedVitest, shQuote, vitestCommand } from './detect.ts';
import { listCommits, type CommitInfo } from './history.ts';
import { instanceId, type MinedInstance } from './instance.ts';

/** Wall-clock limit of one test run while mining, ms. */
export const MINE_TEST_TIMEOUT_MS = 180_000;

export interface MineOptions {
  /** A git repository (working copy or bare). */
  repo: string;
  /** `owner/name`; default from the origin URL or the folder name (`owner+name` as fetched). */
  name?: string;
  /** Stop after this many kept instances. */
  max?: number;
  since?: string;
  /** Only commits before this date. */
  until?: string;
  /** Only these commits (full or short SHAs), e.g. to re-mine a corpus. */
  commits?: string[];
  /** Replaces the detected vitest invocation; the touched test files are appended. */
  testCmd?: string;
  install?: string;
  /** Where installs are cached (one folder per lockfile hash). */
  cacheRoot: string;
  testTimeoutMs?: number;
}

export interface MineDeps {
  sandbox: Sandbox;
  /** Progress lines (stderr). */
  progress?: (line: string) => void;
  now?: () => number;
}

export interface Exclusion {
  commit: string;
  reason: string;
  detail?: string;
}

export interface MineResult {
  repo: string;
  /** Commits looked at (candidates or not). */
  scanned: number;
  /** Candidates whose tests were run. */
  tried: number;
  instances: MinedInstance[];
  dropped: Exclusion[];
  /** Tests failing both at the parent and at the commit, left out of every instance. */
  failingBoth: number;
}

/** `owner/name` of a repository folder. */
export async function repoName(dir: string): Promise<string> {
  const url = (await hardenedGit(dir).raw(['config', '--get', 'remote.origin.url']).catch(() => '')).trim();
  const m = /github\.com[:/]([\w.-]+)\/([\w.-]+?)(\.git)?$/.exec(url);
  if (m) return `${m[1]}/${m[2]}`;
  const base = path.basename(dir.replace(/\/(repo|\.git)\/?$/, ''));
  return base.includes('+') ? base.replace('+', '/') : `local/${base.replace(/[^\w.-]/g, '_')}`;
}

/** Why a commit is not a candidate, or null when it is one. */
export function candidateProblem(c: CommitInfo): string | null {
  const split = splitChanges(c.files);
  if (split.tests.length === 0 || !split.hasSource) return 'not a candidate';
  if (c.files.some(isDependencyFile)) return 'lockfile changed (the parent\'s install would not match)';
  if (!split.tests.some(isRunnableTest)) return 'no runnable test file changed';
  return null;
}

/** The git diff of `files` between two commits (binary-safe headers; binary content is refused later). */
async function diffOf(dir: string, from: string, to: string, files: string[]): Promise<string> {
  if (files.length === 0) return '';
  return hardenedGit(dir).raw(['diff', '--no-renames', '--full-index', '--no-color', '--no-ext-diff', from, to, '--', ...files]);
}

async function checkout(dir: string, sha: string): Promise<void> {
  const git = hardenedGit(dir);
  await git.raw(['checkout', '-f', '-q', '--detach', sha]);
  // -x: ignored build output too; node_modules (the cached install link) stays.
  await git.raw(['clean', '-ffdxq', '-e', 'node_modules']);
}

/** The telling line of a failed run's output: the first error-looking line, else the last line. */
export function errorExcerpt(text = ''): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /Error|ERR_|Cannot find|not found|No test files|failed to load/i.test(l) && !/^test command ended/.test(l)) ?? lines.at(-1) ?? '';
}

/**
 * The test command with tests that fail regardless of the change (e.g. they need the network the
 * sandbox denies) filtered out by vitest's `-t` (a regex over the describe titles and test title
 * joined by spaces, vitest 1–4 `getTaskFullName`): otherwise the loop's test step could never pass.
 */
export function withoutTests(cmd: string, fullNames: string[]): string {
  return fullNames.length === 0 ? cmd : `${cmd} -t ${shQuote(excludePattern(fullNames))}`;
}

/**
 * A regex matching every full test name except `fullNames` (given `A > b`, matched as `A b`, with or
 * without a file-name prefix). No `|`, `;` or `&` in it (one lookahead per name, such characters as
 * `.`): the JSON reporter is added by splitting the command on shell operators (vitest-report.ts).
 */
export function excludePattern(fullNames: string[]): string {
  const esc = (s: string) => s.replace(/ > /g, ' ').replace(/[.*+?^${}()[\]\\/]/g, '\\$&').replace(/[|;&]/g, '.');
  return `^${fullNames.map((n) => `(?!(?:.* )?${esc(n)}$)`).join('')}`;
}

const byId = (tests: TestCaseResult[]) => new Map(tests.map((t) => [t.id, t.status]));

/**
 * Mines instances. Commits are tried newest first; `--max` stops at that many kept.
 * @throws Error when `repo` is not a git repository (git's message).
 */
export async function mineRepository(o: MineOptions, d: MineDeps): Promise<MineResult> {
  const log = d.progress ?? (() => undefined);
  const name = o.name ?? (await repoName(o.repo));
  const work = mkdtempSync(path.join(os.tmpdir(), 'patchloop-mine-'));
  const result: MineResult = { repo: name, scanned: 0, tried: 0, instances: [], dropped: [], failingBoth: 0 };
  try {
    await hardenedGit(os.tmpdir()).raw(['clone', '--quiet', '--no-checkout', '--no-hardlinks', path.resolve(o.repo), work]);
    let commits = await listCommits(work, o.since, o.until);
    if (o.commits) {
      const want = o.commits.map((s) => s.toLowerCase());
      commits = commits.filter((c) => want.some((w) => c.sha.startsWith(w)));
    }
    result.scanned = commits.length;
    for (const c of commits) {
      if (o.max !== undefined && result.instances.length >= o.max) break;
      const problem = candidateProblem(c);
      if (problem === 'not a candidate') continue;
      result.tried++;
      const drop = (reason: string, detail?: string) => {
        result.dropped.push({ commit: c.sha, reason, ...(detail ? { detail } : {}) });
        log(`drop ${c.sha.slice(0, 7)}: ${reason}${detail ? ` — ${detail.split('\n')[0]}` : ''}`);
      };
      if (problem) { drop(problem); continue; }
      try {
        const inst = await mineCommit(work, name, c, o, d, drop, (n) => { result.failingBoth += n; });
        if (inst) {
          result.instances.push(inst);
          log(`kept ${inst.instance_id}: ${inst.FAIL_TO_PASS.length} FAIL_TO_PASS, ${inst.PASS_TO_PASS.length} PASS_TO_PASS (${result.instances.length}${o.max ? `/${o.max}` : ''})`);
        }
      } catch (err) {
        const message = (err as Error).message;
        drop(message.startsWith('install failed') ? 'install failed' : 'error', message);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

async function mineCommit(work: string, name: string, c: CommitInfo, o: MineOptions, d: MineDeps, drop: (r: string, d?: string) => void, countFailingBoth: (n: number) => void): Promise<MinedInstance | null> {
  const log = d.progress ?? (() => undefined);
  const git = hardenedGit(work);
  const split = splitChanges(c.files);
  const patch = await diffOf(work, c.parent, c.sha, split.others);
  const testPatch = await diffOf(work, c.parent, c.sha, split.tests);
  if (/^(GIT binary patch|Binary files )/m.test(patch + testPatch)) return drop('binary file in the change'), null;
  if (!patch.trim() || !testPatch.trim()) return drop('empty source or test change'), null;
  await checkout(work, c.parent);
  const patchFile = path.join(work, '.git', 'patchloop-test.patch');
  writeFileSync(patchFile, testPatch);
  try {
    await git.raw(['apply', '--whitespace=nowarn', patchFile]);
  } catch (err) {
    return drop('test change does not apply to the parent', (err as Error).message), null;
  }
  const setup = detectSetup(work);
  if ('unsupported' in setup) return drop(setup.unsupported), null;
  const install = o.install ?? setup.install;
  if (!o.install && setup.note) log(`${c.sha.slice(0, 7)}: ${setup.note}`);
  const deps = await ensureDependencies(d.sandbox, work, { lockfile: setup.lockfile, install, cacheRoot: o.cacheRoot });
  if (deps.installed) log(`installed ${setup.manager} dependencies for ${c.sha.slice(0, 7)} in ${(deps.installMs / 1000).toFixed(1)} s`);
  const files = split.tests.filter(isRunnableTest).filter((f) => c.files.includes(f));
  const atCommit = new Set((await git.raw(['ls-tree', '-r', '--name-only', c.sha, '--', ...files])).split('\n').filter(Boolean));
  const runnable = files.filter((f) => atCommit.has(f));
  const vc = vitestCommand(work, runnable);
  if (!vc) return drop('no vitest package for the touched tests (or tests in several packages)'), null;
  const testCmd = o.testCmd ? `${o.testCmd} ${runnable.join(' ')}` : vc.command;
  const timeoutMs = o.testTimeoutMs ?? MINE_TEST_TIMEOUT_MS;
  const before = await runTests(d.sandbox, { command: testCmd, cwd: work, timeoutMs, env: { CI: 'true' } });
  await checkout(work, c.sha);
  const after = await runTests(d.sandbox, { command: testCmd, cwd: work, timeoutMs, env: { CI: 'true' } });
  if (after.tests.length === 0) return drop('tests do not run at the commit', errorExcerpt(after.failures[0]?.message)), null;
  const was = byId(before.tests);
  const f2p: string[] = [];
  const p2p: string[] = [];
  const failingBoth: string[] = [];
  // A name holding the checkout's path (e.g. a test titled with process.cwd()) changes with every
  // checkout, so it can never be found again when scoring: left out.
  const unstable = path.basename(work);
  for (const t of after.tests) {
    if (t.fullName === '(file)' || t.id.includes(unstable)) continue;
    if (t.status === 'passed') (was.get(t.id) === 'passed' ? p2p : f2p).push(t.id);
    else if (t.status === 'failed' && was.get(t.id) !== 'passed') failingBoth.push(t.fullName);
  }
  countFailingBoth(failingBoth.length);
  if (f2p.length === 0) return drop(after.passed ? 'no FAIL_TO_PASS test (the tests pass at the parent too)' : 'no FAIL_TO_PASS test (the commit\'s tests fail)', errorExcerpt(after.failures[0]?.message)), null;
  const message = (await git.raw(['log', '-1', '--format=%B', c.sha])).trim();
  const vitest = installedVitest(work, vc.packageDir);
  return {
    instance_id: instanceId(name, c.sha), repo: name, base_commit: c.parent, commit: c.sha, patch, test_patch: testPatch, problem_statement: message,
    FAIL_TO_PASS: f2p, PASS_TO_PASS: p2p, test_cmd: withoutTests(testCmd, failingBoth), install, created_at: c.date, ...(vitest ? { vitest_version: vitest } : {}),
  };
}
