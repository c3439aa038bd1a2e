/**
 * `patchloop tasks validate`: checks every task of the gold set is sound (see src/eval/validate-tasks.ts).
 * `patchloop tasks mine`: task instances from a repository's history (see src/mine/mine.ts).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { ConfigError } from '../../errors.ts';
import { parsePositiveInt } from '../wiring.ts';
import { PATCHLOOP_NODE_MODULES } from './demo.ts';
import { createSandbox } from '../../sandbox/create.ts';
import { createValidationPipeline } from '../../validate/pipeline.ts';
import { renderValidation, taskDirs, validateTasks } from '../../eval/validate-tasks.ts';
import { defaultDepsCache, mineAction, type TasksMineFlags } from './tasks-mine.ts';

type Wrap = (a: Action) => (...args: unknown[]) => Promise<void>;

export interface TasksValidateFlags {
  tasks: string;
  only?: string;
  concurrency: string;
  sandbox: string;
}

/**
 * @returns 0 when every task passes every check, else 1 (the failures name task and check).
 * @throws ConfigError when --tasks is missing or --only matches nothing; EnvironmentError when the sandbox cannot start.
 */
export async function tasksValidateAction(flags: TasksValidateFlags, io: CliIo): Promise<number> {
  const root = path.resolve(flags.tasks);
  if (!existsSync(root)) throw new ConfigError('no_tasks', `--tasks ${flags.tasks}: no such folder`);
  const dirs = taskDirs(root, flags.only);
  if (dirs.length === 0) throw new ConfigError('no_tasks', flags.only ? `--only ${flags.only}: no task id, id prefix or category matches under ${root}` : `${root}: no task folders (each needs a task.json)`);
  if (!['auto', 'bwrap', 'process'].includes(flags.sandbox)) throw new ConfigError('bad_sandbox', `--sandbox ${flags.sandbox}: use auto, bwrap or process`);
  const sandbox = await createSandbox({ backend: flags.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => io.err(`${line}\n`) });
  const results = await validateTasks(dirs, {
    sandbox, nodeModules: PATCHLOOP_NODE_MODULES,
    createPipeline: (root, baseRef) => createValidationPipeline({ root, baseRef, sandbox }),
  }, parsePositiveInt(flags.concurrency, '--concurrency'), (v) => io.err(`${v.ok ? 'ok  ' : 'FAIL'} ${v.id}\n`));
  io.out(renderValidation(results));
  return results.every((v) => v.ok) ? EXIT.resolved : EXIT.notResolved;
}

export function registerTasks(program: Command, io: CliIo, wrap: Wrap): void {
  const tasks = program.command('tasks').description('work with the gold-set tasks');
  tasks
    .command('validate')
    .description('check every task: task.json, transcript, reference patch, FAIL_TO_PASS/PASS_TO_PASS, validation pipeline, mutants, defects')
    .option('--tasks <dir>', 'task folder', 'tasks')
    .option('--only <id|prefix|category>', 'validate a subset')
    .option('--concurrency <n>', 'tasks checked at once', '2')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .action(wrap(async (flags: TasksValidateFlags) => tasksValidateAction(flags, io)));
  tasks
    .command('mine')
    .description('mine SWE-bench-style task instances (JSONL) from a repository\'s history: commits that change source and tests, checked by running their tests in the sandbox')
    .requiredOption('--repo <dir>', 'git repository (working copy or bare) to mine')
    .option('--max <n>', 'stop after this many kept instances')
    .option('--since <date>', 'only commits after this date (e.g. 2024-01-01)')
    .option('--until <date>', 'only commits before this date')
    .option('--commits <shas>', 'only these commits (comma-separated SHAs)')
    .option('--out <file.jsonl>', 'instance file (default: stdout)')
    .option('--test-cmd <cmd>', 'vitest invocation to use instead of the detected one; the touched test files are appended')
    .option('--install <cmd>', 'install command instead of the detected one (runs with network, in the sandbox)')
    .option('--name <owner/name>', 'repository name for instance ids (default: origin URL or folder name)')
    .option('--cache <dir>', 'install cache, one folder per lockfile hash', defaultDepsCache())
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .action(wrap(async (flags: TasksMineFlags) => mineAction(flags, io)));
}
