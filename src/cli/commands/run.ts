/** `patchloop run`: one task on one repository. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.ts';
import type { Action, CliIo } from '../io.ts';
import type { RunTaskOptions } from '../../run/run-task.ts';
import { buildProvider, providerSpecOf } from '../providers.ts';
import { addRunOptions, type RunOptionFlags } from '../loop-options.ts';
import { installInterruptHandler } from '../interrupt.ts';
import { buildRunDeps, parsePositiveInt, parsePositiveNumber } from '../wiring.ts';
import { reportRun } from '../render.ts';
import { openRepo } from '../../git/repo.ts';
import { createRunWorktree, removeRunWorktree } from '../../git/worktree.ts';
import { newRunId } from '../../run/run-id.ts';
import { detectProject } from '../init-config.ts';
import { recordSpend, refuseOverDailyCap } from '../spend.ts';

interface RunFlags extends RunOptionFlags {
  task?: string; taskFile?: string; testCmd?: string; runId?: string; setup?: string; lock?: string[]; allowImports?: string; json?: boolean; stream?: boolean;
}

export function registerRun(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  addRunOptions(
    program
      .command('run')
      .description('resolve one task in a git working copy: plan, edit, validate, test in the sandbox, repair; commit on a new branch'),
  )
    .option('--task <text>', 'what to do, in your words')
    .option('--task-file <file>', 'read the task from a file (e.g. an issue body)')
    .option('--test-cmd <cmd>', 'test command run in the sandbox (default: detected from package.json)')
    .option('--run-id <id>', 'run id (default: time-based)')
    .option('--setup <cmd>', 'install dependencies in the worktree first, e.g. "npm ci" (the only step with network)')
    .option('--allow-imports <pkgs>', 'comma-separated bare imports the edit may use (locks dependencies)')
    .option('--lock <file...>', 'files the model may not edit (e.g. the tests that define success)')
    .option('--stream', 'show model text as it arrives')
    .option('--json', 'print only the summary as JSON')
    .action(
      wrap(async (flags: RunFlags) => {
        const task = flags.task ?? (flags.taskFile ? readFileSync(flags.taskFile, 'utf8') : undefined);
        if (!task?.trim()) throw new UsageError('missing_task', 'say what to do: --task "Fix the failing test in src/x.test.ts" or --task-file issue.md');
        // Start-up (issue 13): the loop's modules (xstate, the tools, the repo map's parser) and the
        // provider's SDK compile on this thread while git creates the worktree and the sandbox probes
        // run; each step's errors still surface in the order below.
        const loop = settled(import('../../run/run-task.ts'));
        const repo = await openRepo(flags.repo); // environment first: a wrong --repo is the likelier mistake
        const maxIterations = parsePositiveInt(flags.maxIterations, '--max-iterations');
        const runId = flags.runId ?? newRunId();
        const worktree = settled(createRunWorktree(repo, runId));
        let deps: Awaited<ReturnType<typeof buildRunDeps>>;
        let built: Awaited<ReturnType<typeof buildProvider>>;
        let runTask: typeof import('../../run/run-task.ts').runTask;
        let options: RunTaskOptions;
        try {
          const provider = settled(buildProvider(flags, io.env));
          const sandbox = settled(buildRunDeps({ sandbox: flags.sandbox, validate: flags.validate, earlyTests: flags.earlyTests, validationServer: flags.validationServer, io, json: flags.json, stream: flags.stream, allowImports: flags.allowImports }));
          built = await provider;
          const budget = built.config.budget;
          const daily = flags.dailyBudgetUsd ? parsePositiveNumber(flags.dailyBudgetUsd, '--daily-budget-usd') : budget.dailyUsd;
          refuseOverDailyCap(io.env, daily);
          deps = await sandbox;
          const maxUsd = flags.budgetUsd ? parsePositiveNumber(flags.budgetUsd, '--budget-usd') : budget.maxUsd;
          options = {
            repo: flags.repo, task, testCmd: flags.testCmd ?? detectProject(repo.root).testCmd, runId, runsDir: flags.runsDir, maxIterations, ...(flags.stuckAfter ? { stuckAfterRepairs: parsePositiveInt(flags.stuckAfter, '--stuck-after') } : {}),
            budget: { maxTokens: flags.budgetTokens ? parsePositiveInt(flags.budgetTokens, '--budget-tokens') : (budget.maxTokens ?? 200_000), ...(maxUsd ? { maxUsd } : {}) },
            testTimeoutMs: parsePositiveInt(flags.testTimeout, '--test-timeout'), lockedFiles: flags.lock,
            providerSpec: providerSpecOf(flags), ...(flags.setup ? { setupCmd: flags.setup } : {}),
            ...(flags.mapTokens ? { mapTokens: parsePositiveInt(flags.mapTokens, '--map-tokens') } : {}),
          };
          ({ runTask } = await loop);
        } catch (err) {
          // Nothing of the run exists yet for the user: take back the worktree and branch started above.
          await worktree.then(() => removeRunWorktree(repo, runId), () => undefined);
          throw err;
        }
        const interrupt = installInterruptHandler((line) => (deps.progress ? deps.progress.note(line) : io.err(`${line}\n`)));
        const summary = await runTask(options, { ...deps, repoInfo: repo, worktree, provider: built.provider, drainModelEvents: built.drainEvents, control: interrupt.control, processStartedAt: performance.timeOrigin }).finally(() => {
          interrupt.dispose();
          deps.progress?.done();
        });
        recordSpend(io.env, summary);
        return reportRun(summary, io, flags.json);
      }),
    );
}

/** `p`, marked handled: started early, awaited later (an error before then must not crash as unhandled). */
function settled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
