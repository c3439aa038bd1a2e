/** `patchloop tasks validate`: checks every task of the gold set is sound (see src/eval/validate-tasks.ts). */
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
}
