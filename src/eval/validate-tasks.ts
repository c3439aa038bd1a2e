/**
 * `patchloop tasks validate`: proves each task on disk is sound before it scores a model.
 *   task.json   valid against the schema, id = folder name
 *   transcript  transcript.jsonl parses (parseTranscript)
 *   reference   reference.patch applies to the base
 *   fail→pass   FAIL_TO_PASS fail on the base (hidden tests copied in) and pass with the reference
 *   pass→pass   PASS_TO_PASS pass on the base and with the reference (every named test exists)
 *   pipeline    the reference has zero error findings in the validation pipeline (files it touches, vs the base)
 *   mutants     testgen: ≥ 3 mutants; the reference tests pass on the base code and kill every one
 *   defects     review: ≥ 1 planted defect, each in a file of the repo
 * A task's files are untrusted: everything runs in the sandbox or in scratch copies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeError } from '../errors.ts';
import { parseTranscript } from '../model/replay.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { ValidationPipeline } from '../validate/pipeline.ts';
import { loadTask, prepareInstanceRepo, scoreHidden, taskPath, type HiddenScore, type TaskInstance } from './instance.ts';
import { scoreMutants } from './mutation-score.ts';

const exec = promisify(execFile);

export const CHECKS = ['task.json', 'transcript', 'reference', 'fail→pass', 'pass→pass', 'pipeline', 'mutants', 'defects'] as const;
export type CheckName = (typeof CHECKS)[number];

/** Fewest planted mutants a testgen task may have (issue 6). */
export const MIN_MUTANTS = 3;

export interface CheckResult {
  check: CheckName;
  /** null: not applicable to this task's category, or not reached because an earlier check failed. */
  ok: boolean | null;
  /** Why it failed (or a short note). */
  detail: string;
}

export interface TaskValidation {
  /** Task id, or the folder name when task.json does not load. */
  id: string;
  category?: string;
  ok: boolean;
  checks: CheckResult[];
}

export interface ValidateDeps {
  sandbox: Sandbox;
  /** patchloop's node_modules, linked into scratch repos. */
  nodeModules: string;
  /** Builds the validation pipeline for a scratch repo (createValidationPipeline in production). */
  createPipeline: (root: string, baseRef: string) => ValidationPipeline;
  /** Per test-command timeout, ms. Default 120 000. */
  timeoutMs?: number;
}

/** Repo-relative files a git patch creates or modifies (deleted files excluded). */
export function patchTargets(patch: string): string[] {
  const out = new Set<string>();
  for (const m of patch.matchAll(/^\+\+\+ b\/(.+?)\s*$/gm)) out.add(m[1]!);
  return [...out];
}

const ids = (xs: { id: string; passed: boolean }[], want: boolean) => xs.filter((t) => t.passed === want).map((t) => t.id);
const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join('; ')} (+${xs.length - 3} more)` : xs.join('; '));

/** fail→pass and pass→pass verdicts from the base and reference scores. */
export function judgeTests(base: HiddenScore, ref: HiddenScore): CheckResult[] {
  const problems = (parts: [string, string[]][]) => parts.filter(([, xs]) => xs.length > 0).map(([what, xs]) => `${what}: ${list(xs)}`).join(' · ');
  const f2p = problems([['pass on the base (must fail)', ids(base.failToPass, true)], ['fail with the reference', ids(ref.failToPass, false)]]);
  const p2p = problems([['fail on the base', ids(base.passToPass, false)], ['fail with the reference', ids(ref.passToPass, false)]]);
  const missingIn = (xs: { id: string }[]) => ref.missing.filter((id) => xs.some((t) => t.id === id));
  const note = (xs: string[]) => (xs.length ? `never reported by the test run (typo or missing test): ${list(xs)}` : '');
  const mf = missingIn(base.failToPass), mp = missingIn(base.passToPass);
  return [
    { check: 'fail→pass', ok: !f2p && mf.length === 0, detail: [f2p, note(mf)].filter(Boolean).join(' · ') || `${base.failToPass.length} test(s)` },
    { check: 'pass→pass', ok: !p2p && mp.length === 0, detail: [p2p, note(mp)].filter(Boolean).join(' · ') || `${base.passToPass.length} test(s)` },
  ];
}

/** Runs every check on one task folder. Never throws: a crash becomes the failing check's detail. */
export async function validateTask(dir: string, d: ValidateDeps): Promise<TaskValidation> {
  const checks = new Map<CheckName, CheckResult>(CHECKS.map((c) => [c, { check: c, ok: null, detail: '' }]));
  const set = (check: CheckName, ok: boolean | null, detail: string) => checks.set(check, { check, ok, detail });
  const done = (id: string, category?: string): TaskValidation => {
    const all = [...checks.values()];
    return { id, category, ok: all.every((c) => c.ok !== false), checks: all };
  };
  let inst: TaskInstance;
  try {
    inst = loadTask(dir);
    set('task.json', true, '');
  } catch (err) {
    set('task.json', false, describeError(err));
    return done(path.basename(dir));
  }
  const { task } = inst;
  try {
    set('transcript', true, `${parseTranscript(readFileSync(taskPath(inst, 'transcript.jsonl'), 'utf8'), `${task.id}/transcript.jsonl`).length} turns`);
  } catch (err) {
    set('transcript', false, describeError(err));
  }
  if (task.category === 'review') {
    const defects = task.defects ?? [];
    const absent = defects.filter((x) => !existsSync(path.join(inst.dir, 'repo', x.file))).map((x) => x.file);
    set('defects', defects.length > 0 && absent.length === 0, defects.length === 0 ? 'no planted defects in task.json' : absent.length ? `defect files not in repo/: ${absent.join(', ')}` : `${defects.length} defect(s)`);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), `patchloop-validate-${task.id}-`));
  try {
    const repo = await prepareInstanceRepo(inst, d.nodeModules, scratch);
    const patchFile = taskPath(inst, 'reference.patch');
    if (!existsSync(patchFile)) {
      set('reference', false, 'reference.patch is missing');
      return done(task.id, task.category);
    }
    const base = await scoreHidden(inst, repo, d.sandbox, d.nodeModules, d.timeoutMs);
    try {
      await exec('git', ['apply', '--whitespace=nowarn', patchFile], { cwd: repo });
      set('reference', true, '');
    } catch (err) {
      set('reference', false, `reference.patch does not apply to repo/: ${((err as { stderr?: string }).stderr ?? describeError(err)).trim().split('\n')[0]}`);
      return done(task.id, task.category);
    }
    const ref = await scoreHidden(inst, repo, d.sandbox, d.nodeModules, d.timeoutMs);
    for (const c of judgeTests(base, ref)) checks.set(c.check, c);
    const touched = patchTargets(readFileSync(patchFile, 'utf8'));
    const pipeline = d.createPipeline(repo, 'HEAD');
    try {
      const report = await pipeline.run(touched);
      const errors = report.findings.filter((f) => f.severity === 'error');
      set('pipeline', errors.length === 0, errors.length ? errors.slice(0, 3).map((f) => `${f.validator} ${f.file}:${f.line} ${f.rule} ${f.message.split('\n')[0]}`).join(' · ') : `${report.ran.length} validators, ${report.findings.length} warning(s)`);
    } finally {
      pipeline.dispose();
    }
    if (task.category === 'testgen') {
      const planted = task.mutants?.length ?? 0;
      // Reference tests sit in the reference tree; mutants patch the code under them.
      const m = await scoreMutants(inst, repo, touched, d.sandbox, d.nodeModules, d.timeoutMs);
      const why = [
        planted < MIN_MUTANTS ? `only ${planted} mutant(s), need at least ${MIN_MUTANTS}` : '',
        m.generated.length === 0 ? 'reference.patch adds no test file' : '',
        m.generated.length > 0 && !m.passOnReference ? 'reference tests fail on the base code' : '',
        m.survivors.length ? `mutants survive the reference tests: ${m.survivors.join(', ')}` : '',
      ].filter(Boolean).join(' · ');
      set('mutants', !why, why || `${m.killed}/${m.planted} killed`);
    }
  } catch (err) {
    const open = [...checks.values()].find((c) => c.ok === null && c.check !== 'mutants' && c.check !== 'defects') ?? checks.get('reference')!;
    set(open.check, false, `crashed: ${describeError(err).split('\n')[0]}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return done(task.id, task.category);
}

/** Task folders under `root` (those with a task.json), filtered like `--only` (id, id prefix or category). */
export function taskDirs(root: string, only?: string): string[] {
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'task.json')))
    .map((e) => path.join(root, e.name)).sort();
  if (!only) return dirs;
  return dirs.filter((dir) => {
    const name = path.basename(dir);
    if (name === only || name.startsWith(only)) return true;
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'task.json'), 'utf8')) as { category?: unknown }).category === only;
    } catch {
      return false;
    }
  });
}

/** Validates many task folders, `concurrency` at a time (2 by default: each runs test commands). */
export async function validateTasks(dirs: string[], d: ValidateDeps, concurrency = 2, onTask?: (v: TaskValidation) => void): Promise<TaskValidation[]> {
  const out: TaskValidation[] = new Array(dirs.length);
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const i = next++;
      out[i] = await validateTask(dirs[i]!, d);
      onTask?.(out[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, dirs.length)) }, worker));
  return out;
}

const MARK = (ok: boolean | null) => (ok === null ? '–' : ok ? 'ok' : 'FAIL');

/** A fixed-width table, one row per task, then one line per failed check naming the task and the check. */
export function renderValidation(vs: TaskValidation[]): string {
  const w = Math.max(4, ...vs.map((v) => v.id.length));
  const head = `${'task'.padEnd(w)}  ${CHECKS.map((c) => c.padEnd(12)).join('')}`;
  const rows = vs.map((v) => `${v.id.padEnd(w)}  ${v.checks.map((c) => MARK(c.ok).padEnd(12)).join('')}`.trimEnd());
  const fails = vs.flatMap((v) => v.checks.filter((c) => c.ok === false).map((c) => `FAIL ${v.id}: ${c.check}: ${c.detail}`));
  const passed = vs.filter((v) => v.ok).length;
  return [head, ...rows, '', ...fails, ...(fails.length ? [''] : []), `${passed}/${vs.length} task(s) valid`].join('\n') + '\n';
}
