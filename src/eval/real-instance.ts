/**
 * A mined instance (src/mine/instance.ts) through the real loop, then scored SWE-bench style: a fresh
 * checkout of the run's start + the run's patch (test files excluded) + `test_patch`, the instance's
 * tests run in the sandbox, resolved = every FAIL_TO_PASS and PASS_TO_PASS test passes.
 * Modes: `visible` — the test change is committed into the repository before the run (the CI-fix
 * case, test files locked); `hidden` — the run starts at the base and the tests arrive only at
 * scoring (the issue case; task text = the commit message).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hardenedGit } from '../git/repo.ts';
import { linkDependencies } from '../sandbox/dependencies.ts';
import type { ModelProvider, Usage } from '../model/types.ts';
import { ZERO_USAGE } from '../model/types.ts';
import { runTask, type RunDeps, type RunSummary } from '../run/run-task.ts';
import { runTests } from '../sandbox/run-tests.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { readTrajectory } from '../trace/trajectory.ts';
import { describeError } from '../errors.ts';
import type { Finding } from '../validate/types.ts';
import { ensureDependencies } from '../mine/deps-cache.ts';
import { detectSetup } from '../mine/detect.ts';
import type { MinedInstance } from '../mine/instance.ts';
import { removeInstanceRepo } from './instance.ts';

export type TestsMode = 'visible' | 'hidden';

export interface RealInstanceResult {
  id: string;
  repo: string;
  mode: TestsMode;
  status: RunSummary['status'] | 'error';
  resolved: boolean;
  failToPass: { passed: number; total: number; failing: string[] };
  passToPass: { passed: number; total: number; failing: string[] };
  /** Distinct error findings the validators reported during the run (each blocks the loop until repaired). */
  blocking: Finding[];
  iterations: number;
  usage: Usage;
  usd: number;
  /** Wall time of the whole instance (setup, run, scoring), ms. */
  wallMs: number;
  runDir?: string;
  /** Why it is not resolved (for the gold provider: a harness defect). */
  reason?: string;
}

export interface RealInstanceDeps {
  sandbox: Sandbox;
  /** The provider for one instance; `repoDir` is the prepared repository at the run's start. */
  provider: (inst: MinedInstance, repoDir: string) => Promise<ModelProvider>;
  runDeps: Omit<RunDeps, 'provider' | 'sandbox'>;
  /** `owner/name` → a git repository holding the instance's commits (working copy or bare). */
  source: (repo: string) => string;
  /** Install cache root (see src/mine/deps-cache.ts). */
  cacheRoot: string;
  mode: TestsMode;
  maxIterations?: number;
  budgetTokens?: number;
  /** Where run folders go (the scratch repository is removed afterwards). */
  runsDir?: string;
  /** Wall-clock limit of one test run, ms. */
  testTimeoutMs?: number;
  now?: () => number;
}

/** Test files a patch touches (the `b/` side; `/dev/null` skipped). */
export function patchFiles(patch: string): string[] {
  const files = new Set<string>();
  for (const m of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) files.add(m[2]!);
  return [...files];
}

const git = (dir: string) => hardenedGit(dir);

async function applyPatch(dir: string, patch: string, exclude: string[] = []): Promise<void> {
  if (!patch.trim()) return;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'patchloop-apply-'));
  const file = path.join(tmp, 'change.patch');
  writeFileSync(file, patch);
  try {
    await git(dir).raw(['apply', '--whitespace=nowarn', ...exclude.map((f) => `--exclude=${f}`), file]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The task text: hidden = the commit message; visible = the message plus the tests that must pass. */
export function taskText(inst: MinedInstance, mode: TestsMode): string {
  const message = inst.problem_statement.trim() || `Fix ${inst.repo} at ${inst.base_commit.slice(0, 7)}`;
  if (mode === 'hidden') return message;
  return `${message}\n\nThese tests fail and must pass (do not change the test files):\n${inst.FAIL_TO_PASS.map((t) => `- ${t}`).join('\n')}`;
}

/**
 * Clones the instance's repository at its base (plus the committed test change in visible mode) and
 * links the cached install. @returns the scratch repository.
 * @throws Error when the commits are missing or the install fails.
 */
export async function prepareRealRepo(inst: MinedInstance, d: Pick<RealInstanceDeps, 'sandbox' | 'source' | 'cacheRoot' | 'mode'>): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `patchloop-${inst.instance_id}-`));
  await hardenedGit(os.tmpdir()).raw(['clone', '--quiet', '--no-checkout', d.source(inst.repo), dir]);
  await git(dir).raw(['checkout', '-q', '-B', 'patchloop-base', inst.base_commit]);
  // The linked install must never show up as a change of the run.
  appendFileSync(path.join(dir, '.git', 'info', 'exclude'), '\n/node_modules\n');
  const setup = detectSetup(dir);
  if ('unsupported' in setup) throw new Error(`cannot install ${inst.repo}: ${setup.unsupported}`);
  await ensureDependencies(d.sandbox, dir, { lockfile: setup.lockfile, install: inst.install, cacheRoot: d.cacheRoot });
  if (d.mode === 'visible') {
    await applyPatch(dir, inst.test_patch);
    await git(dir).raw(['add', '-A', '--', ...patchFiles(inst.test_patch)]);
    await git(dir).raw(['-c', 'user.name=patchloop', '-c', 'user.email=patchloop@localhost', 'commit', '-q', '--no-verify', '-m', `tests of ${inst.instance_id}`]);
  }
  return dir;
}

/**
 * Scores a patch: checkout of `startRef` in `repoDir` + `patch` (test files excluded) + `test_patch`
 * when not already there, the instance's tests run in the sandbox.
 */
export async function scoreRealPatch(inst: MinedInstance, repoDir: string, patch: string, d: Pick<RealInstanceDeps, 'sandbox' | 'mode' | 'testTimeoutMs'>): Promise<Pick<RealInstanceResult, 'failToPass' | 'passToPass'> & { detail: string }> {
  const scoreDir = mkdtempSync(path.join(os.tmpdir(), `patchloop-score-${inst.instance_id}-`));
  rmSync(scoreDir, { recursive: true });
  try {
    await git(repoDir).raw(['worktree', 'add', '--quiet', '--detach', scoreDir, 'HEAD']);
    const testFiles = patchFiles(inst.test_patch);
    await applyPatch(scoreDir, patch, testFiles);
    if (d.mode === 'hidden') await applyPatch(scoreDir, inst.test_patch);
    linkDependencies(repoDir, scoreDir); // the root's node_modules and each workspace package's
    const r = await runTests(d.sandbox, { command: inst.test_cmd, cwd: scoreDir, timeoutMs: d.testTimeoutMs ?? 180_000, env: { CI: 'true' } });
    const status = new Map(r.tests.map((t) => [t.id, t.status]));
    const score = (ids: string[]) => {
      const failing = ids.filter((id) => status.get(id) !== 'passed');
      return { passed: ids.length - failing.length, total: ids.length, failing };
    };
    const detail = r.tests.length === 0 ? (r.failures[0]?.message ?? 'no test results').split('\n').slice(0, 4).join(' | ') : (r.failures[0] ? `${r.failures[0].id}: ${r.failures[0].message ?? ''}` : '');
    return { failToPass: score(inst.FAIL_TO_PASS), passToPass: score(inst.PASS_TO_PASS), detail };
  } finally {
    await git(repoDir).raw(['worktree', 'remove', '--force', scoreDir]).catch(() => rmSync(scoreDir, { recursive: true, force: true }));
  }
}

/** Runs one mined instance through `runTask` and scores it. Never throws: a failure is a result with a reason. */
export async function runRealInstance(inst: MinedInstance, d: RealInstanceDeps): Promise<RealInstanceResult> {
  const now = d.now ?? Date.now;
  const t0 = now();
  const empty = { passed: 0, total: 0, failing: [] as string[] };
  const base: RealInstanceResult = { id: inst.instance_id, repo: inst.repo, mode: d.mode, status: 'error', resolved: false, failToPass: { ...empty, total: inst.FAIL_TO_PASS.length }, passToPass: { ...empty, total: inst.PASS_TO_PASS.length }, blocking: [], iterations: 0, usage: { ...ZERO_USAGE }, usd: 0, wallMs: 0 };
  let repoDir: string | undefined;
  try {
    repoDir = await prepareRealRepo(inst, d);
    const provider = await d.provider(inst, repoDir);
    const testFiles = patchFiles(inst.test_patch);
    const summary = await runTask({
      repo: repoDir, task: taskText(inst, d.mode),
      // Hidden mode: the new tests are not there yet, so an empty selection must not fail the run.
      testCmd: d.mode === 'hidden' ? `${inst.test_cmd} --passWithNoTests` : inst.test_cmd,
      maxIterations: d.maxIterations ?? 3, budget: { maxTokens: d.budgetTokens ?? 400_000 },
      lockedFiles: d.mode === 'visible' ? testFiles : [], testTimeoutMs: d.testTimeoutMs ?? 180_000,
      ...(d.runsDir ? { runsDir: d.runsDir } : {}),
    }, { ...d.runDeps, provider, sandbox: d.sandbox });
    const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
    // Distinct error findings over the run (the same one repeated each iteration counts once).
    const blocking = [...new Map(trace.flatMap((e) => (e.type === 'validation' ? e.findings.filter((f) => f.severity === 'error') : [])).map((f) => [`${f.validator}\0${f.rule}\0${f.file}\0${f.line}`, f])).values()];
    const score = await scoreRealPatch(inst, repoDir, readFileSync(summary.patchPath, 'utf8'), d);
    const testsOk = score.failToPass.failing.length === 0 && score.passToPass.failing.length === 0;
    const resolved = summary.status === 'resolved' && testsOk;
    let reason: string | undefined;
    if (!resolved) {
      const parts: string[] = [];
      if (summary.status !== 'resolved') parts.push(`run ${summary.status}${summary.reason ? `: ${summary.reason}` : ''}`);
      if (blocking.length) parts.push(`blocking: ${blocking.slice(0, 3).map((f) => `${f.validator} ${f.rule} ${f.file}:${f.line} ${f.message.split('\n')[0]}`).join('; ')}`);
      const lastTest = [...trace].reverse().find((e) => e.type === 'test_run');
      if (lastTest?.type === 'test_run' && !lastTest.passed) parts.push(`loop tests: ${lastTest.failures.slice(0, 2).map((f) => `${f.id} ${(f.message ?? '').split('\n').slice(0, 3).join(' | ')}`).join('; ')}`);
      if (!testsOk) parts.push(`scoring: ${score.failToPass.failing.length} FAIL_TO_PASS + ${score.passToPass.failing.length} PASS_TO_PASS failing${score.detail ? ` (${score.detail.slice(0, 300)})` : ''}`);
      reason = parts.join(' · ');
    }
    return { ...base, status: summary.status, resolved, failToPass: score.failToPass, passToPass: score.passToPass, blocking, iterations: summary.iterations, usage: summary.usage, usd: summary.usd, wallMs: now() - t0, runDir: summary.runDir, ...(reason ? { reason } : {}) };
  } catch (err) {
    return { ...base, reason: describeError(err), wallMs: now() - t0 };
  } finally {
    if (repoDir) {
      // The run kept its worktree (for `patchloop apply`) outside the scratch repository; both go now,
      // or every eval leaves one per instance in the worktrees folder (58 per `npm run bench:real`).
      await removeInstanceRepo(repoDir);
    }
  }
}
