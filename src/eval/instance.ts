/**
 * Task instances on disk → runnable scratch repositories, and the hidden-test score of a result.
 * A task's files are untrusted input: task.json is validated, and every path it names must stay
 * inside the task folder.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRepo, simpleGitFactory } from '../git/repo.ts';
import { repositoryWorktrees } from '../git/worktree.ts';
import { ConfigError } from '../errors.ts';
import { TaskSchema, type Task } from './task-schema.ts';
import type { Sandbox, TestCaseResult } from '../sandbox/types.ts';
import { runTests } from '../sandbox/run-tests.ts';

export interface TaskInstance {
  task: Task;
  /** Absolute task folder. */
  dir: string;
}

/** Loads and validates `tasks/<id>/task.json`. @throws ConfigError naming the file and the bad key. */
export function loadTask(dir: string): TaskInstance {
  const file = path.join(dir, 'task.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('bad_task', `${file}: ${(err as Error).message}`);
  }
  const parsed = TaskSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('bad_task', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (path.basename(dir) !== parsed.data.id) throw new ConfigError('bad_task', `${file}: id "${parsed.data.id}" must equal its folder name "${path.basename(dir)}"`);
  return { task: parsed.data, dir: path.resolve(dir) };
}

/** All task folders under `root` (those holding a task.json), sorted by id. */
export function loadTasks(root: string, only?: string): TaskInstance[] {
  if (!existsSync(root)) throw new ConfigError('no_tasks', `--tasks ${root}: no such folder`);
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'task.json')))
    .map((d) => path.join(root, d.name))
    .sort();
  const all = dirs.map(loadTask);
  if (!only) return all;
  const picked = all.filter((t) => t.task.id === only || t.task.category === only || t.task.id.startsWith(only));
  if (picked.length === 0) throw new ConfigError('no_tasks', `--only ${only}: no task id, id prefix or category matches (have: ${all.map((t) => t.task.id).join(', ')})`);
  return picked;
}

/** Path of a file inside the task folder; refuses escapes (task.json is untrusted). */
export function taskPath(inst: TaskInstance, rel: string): string {
  const abs = path.resolve(inst.dir, rel);
  if (!abs.startsWith(inst.dir + path.sep)) throw new ConfigError('bad_task', `${inst.task.id}: path "${rel}" leaves the task folder`);
  return abs;
}

/**
 * Copies `repo/` into a fresh scratch git repository (one commit: the failing state) with
 * `node_modules` linked to `nodeModules` (patchloop's own installed packages).
 * @returns absolute path of the scratch repository.
 */
export async function prepareInstanceRepo(inst: TaskInstance, nodeModules: string, scratchRoot = os.tmpdir()): Promise<string> {
  const dest = mkdtempSync(path.join(scratchRoot, `patchloop-${inst.task.id}-`));
  cpSync(path.join(inst.dir, 'repo'), dest, { recursive: true });
  writeFileSync(path.join(dest, '.gitignore'), appendLine(path.join(dest, '.gitignore'), '/node_modules'));
  const git = simpleGitFactory()(dest);
  await git.init();
  await git.raw(['add', '-A']);
  await git.raw(['-c', 'user.name=patchloop', '-c', 'user.email=patchloop@localhost', 'commit', '--quiet', '--no-verify', '-m', `task ${inst.task.id}: base`]);
  symlinkSync(nodeModules, path.join(dest, 'node_modules'), 'dir');
  return dest;
}

/**
 * Removes a scratch repository and the worktrees its runs kept (they live outside it, in the
 * worktrees folder, for `patchloop apply`; without their repository nothing can use them).
 * Without this, every eval or demo left one scratch copy in the temp folder and one worktree
 * folder per instance. Never throws: a folder that cannot go stays for the user to see.
 */
export async function removeInstanceRepo(repoDir: string): Promise<void> {
  const repo = await openRepo(repoDir).catch(() => undefined);
  if (repo) rmSync(repositoryWorktrees(repo), { recursive: true, force: true });
  rmSync(repoDir, { recursive: true, force: true });
}

function appendLine(file: string, line: string): string {
  const have = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return have.split('\n').includes(line) ? have : `${have}${have && !have.endsWith('\n') ? '\n' : ''}${line}\n`;
}

export interface HiddenScore {
  /** Every FAIL_TO_PASS and PASS_TO_PASS test passed. */
  passed: boolean;
  failToPass: { id: string; passed: boolean }[];
  passToPass: { id: string; passed: boolean }[];
  /** Test ids named by the task that the runner never reported (typo or missing test). */
  missing: string[];
  tests: TestCaseResult[];
}

/**
 * Copies the state at `sourceDir` (a worktree or checkout) plus the task's hidden tests into a
 * scratch folder and runs the task's test command there, in the sandbox.
 */
export async function scoreHidden(inst: TaskInstance, sourceDir: string, sandbox: Sandbox, nodeModules: string, timeoutMs = 120_000): Promise<HiddenScore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `patchloop-score-${inst.task.id}-`));
  cpSync(sourceDir, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/.test(src) });
  const hidden = path.join(inst.dir, 'hidden');
  if (existsSync(hidden)) cpSync(hidden, dir, { recursive: true, filter: (src) => !src.endsWith('.gitkeep') });
  symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
  // The scratch copy is only needed for the run; remove it so repeated scoring does not fill tmp.
  const result = await runTests(sandbox, { command: inst.task.test_cmd, cwd: dir, timeoutMs }).finally(() => rmSync(dir, { recursive: true, force: true }));
  const byId = new Map(result.tests.map((t) => [t.id, t]));
  const check = (id: string) => ({ id, passed: byId.get(id)?.status === 'passed' });
  const failToPass = inst.task.FAIL_TO_PASS.map(check);
  const passToPass = inst.task.PASS_TO_PASS.map(check);
  const missing = [...inst.task.FAIL_TO_PASS, ...inst.task.PASS_TO_PASS].filter((id) => !byId.has(id));
  return {
    passed: result.command.exitCode === 0 && [...failToPass, ...passToPass].every((t) => t.passed),
    failToPass, passToPass, missing, tests: result.tests,
  };
}
