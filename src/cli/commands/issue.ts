/**
 * `patchloop issue owner/repo#123`: resolve a GitHub issue (or a local issue.md) with the loop, then
 * push `patchloop/issue-<N>`, open or update the pull request and keep one comment on the issue.
 * The issue text only ever becomes quoted task text; every setting below comes from flags.
 */
import type { Command } from 'commander';
import { PatchloopError } from '../../errors.ts';
import type { Action, CliIo } from '../io.ts';
import { buildProvider, providerSpecOf } from '../providers.ts';
import { addRunOptions, type RunOptionFlags } from '../loop-options.ts';
import { installInterruptHandler } from '../interrupt.ts';
import { recordSpend, refuseOverDailyCap } from '../spend.ts';
import { buildRunDeps, parsePositiveInt, parsePositiveNumber } from '../wiring.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { renderSummary } from '../render.ts';
import { hardenedGit, openRepo } from '../../git/repo.ts';
import { globMatcher } from '../../tools/glob.ts';
import { runTask, type RunSummary } from '../../run/run-task.ts';
import { githubFromEnv, type PullRef } from '../../github/client.ts';
import { parseIssueRef, readIssueFile } from '../../github/issue-ref.ts';
import { defaultAttemptsPath, takeAttempt } from '../../github/attempts.ts';
import { DEFAULT_TESTS_LABEL, issueAttemptKey, issueRunPlan, publishIssueRun } from '../../github/issue-flow.ts';
import { tracePublishLog } from '../../github/publish-log.ts';
import { stepSummary } from '../../github/report.ts';
import { writeStepSummary } from '../../github/session.ts';

/** Flags shared by `issue` and `ci-fix`. */
export interface LoopFlags extends RunOptionFlags {
  testCmd: string;
  allowedPaths?: string[]; githubApiUrl?: string; remote: string; commentOnFailure?: boolean; maxAttemptsPerDay: string; attemptsFile?: string; json?: boolean;
}

interface IssueFlags extends LoopFlags { base?: string; allowTestEdits?: boolean; testsLabel: string; publish: boolean }

/** Adds the loop, GitHub and spend options both commands take. */
export function addLoopOptions(cmd: Command): Command {
  return addRunOptions(cmd)
    .option('--test-cmd <cmd>', 'test command run in the sandbox', 'npm test')
    .option('--allowed-paths <glob...>', 'only tracked files matching these globs may be edited; every other tracked file is locked')
    .option('--github-api-url <url>', 'GitHub REST API root (GitHub Enterprise: https://<host>/api/v3)')
    .option('--remote <name>', 'git remote to push to', 'origin')
    .option('--comment-on-failure', 'when not resolved, comment with what was tried and why it stopped')
    .option('--max-attempts-per-day <n>', 'attempts per branch per UTC day', '3')
    .option('--attempts-file <file>', 'where attempts are counted (default ~/.patchloop/attempts.json)')
    .option('--json', 'print only JSON: { summary, pullRequest }');
}

/** Runs the loop with the flags' settings; `task` and `locked*` are the only per-mode inputs. */
export async function runLoop(flags: LoopFlags, io: CliIo, task: string, lock: { lockedFiles?: string[]; lockedGlobs?: string[] }): Promise<RunSummary> {
  const repo = await openRepo(flags.repo);
  if (flags.allowedPaths?.length) {
    const allowed = flags.allowedPaths.map(globMatcher);
    const tracked = (await hardenedGit(repo.root).raw(['ls-files'])).split('\n').filter(Boolean);
    lock = { ...lock, lockedFiles: [...(lock.lockedFiles ?? []), ...tracked.filter((f) => !allowed.some((m) => m(f)))] };
  }
  const built = await buildProvider(flags, io.env);
  refuseOverDailyCap(io.env, flags.dailyBudgetUsd ? parsePositiveNumber(flags.dailyBudgetUsd, '--daily-budget-usd') : built.config.budget.dailyUsd);
  const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: flags.validate, earlyTests: flags.earlyTests, validationServer: flags.validationServer, io, json: flags.json });
  const interrupt = installInterruptHandler((line) => (deps.progress ? deps.progress.note(line) : io.err(`${line}\n`)));
  try {
    const summary = await runTask(
      {
        repo: flags.repo, task, testCmd: flags.testCmd, runsDir: flags.runsDir, ...lock,
        maxIterations: parsePositiveInt(flags.maxIterations, '--max-iterations'), ...(flags.stuckAfter ? { stuckAfterRepairs: parsePositiveInt(flags.stuckAfter, '--stuck-after') } : {}),
        budget: { maxTokens: flags.budgetTokens ? parsePositiveInt(flags.budgetTokens, '--budget-tokens') : (built.config.budget.maxTokens ?? 200_000), ...(flags.budgetUsd ? { maxUsd: Number(flags.budgetUsd) } : {}) },
        testTimeoutMs: parsePositiveInt(flags.testTimeout, '--test-timeout'), providerSpec: providerSpecOf(flags),
      },
      { ...deps, provider: built.provider, drainModelEvents: built.drainEvents, control: interrupt.control, processStartedAt: performance.timeOrigin },
    );
    recordSpend(io.env, summary);
    return summary;
  } finally {
    interrupt.dispose();
    deps.progress?.done();
  }
}

/**
 * Runs the publishing steps after a finished run; a GitHub or push failure is reported on stderr
 * and returned as its exit code, so the run's summary is still printed (and the job summary written).
 */
export async function publishing<T>(io: CliIo, fn: () => Promise<T>): Promise<{ value: T | null; exitCode?: number }> {
  try {
    return { value: await fn() };
  } catch (err) {
    if (!(err instanceof PatchloopError)) throw err;
    io.err(`patchloop: the run finished but publishing failed: ${err.message}\n`);
    return { value: null, exitCode: err.exitCode };
  }
}

/** Prints the outcome and returns the exit code. */
export function finish(io: CliIo, summary: RunSummary, pull: PullRef | null, json?: boolean): number {
  if (json) io.out(JSON.stringify({ summary, pullRequest: pull }) + '\n');
  else io.out(renderSummary(summary) + (pull ? `\npull request #${pull.number}: ${pull.url}\n` : ''));
  return exitCodeForStatus(summary.status);
}

export function registerIssue(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  addLoopOptions(
    program
      .command('issue <ref>')
      .description('resolve a GitHub issue (owner/repo#123, an issue URL or a local issue.md) and open or update its pull request'),
  )
    .option('--base <branch>', 'branch the pull request targets (default: the repository default branch)')
    .option('--allow-test-edits', 'let the model edit test files (for issues that ask for tests)')
    .option('--tests-label <name>', 'an issue with this label may have its tests edited (labels need triage access)', DEFAULT_TESTS_LABEL)
    .option('--no-publish', 'run only: push nothing, open nothing, comment nothing')
    .action(
      wrap(async (ref: string, flags: IssueFlags) => {
        const src = parseIssueRef(ref);
        const cap = parsePositiveInt(flags.maxAttemptsPerDay, '--max-attempts-per-day');
        const gh = src.kind === 'github' ? githubFromEnv(flags, io.env) : null;
        const issue = src.kind === 'github' ? await gh!.api.getIssue(src.repo, src.number) : readIssueFile(src.path);
        const publish = src.kind === 'github' && flags.publish;
        if (publish) takeAttempt({ file: flags.attemptsFile ?? defaultAttemptsPath(), key: issueAttemptKey(src.repo, issue.number), cap });
        const plan = issueRunPlan(issue, flags);
        const summary = await runLoop(flags, io, plan.task, plan.lock);

        let pull: PullRef | null = null;
        let publishCode: number | undefined;
        if (publish && gh) {
          const res = await publishing(io, () =>
            publishIssueRun({
              api: gh.api, token: gh.token, repo: src.repo, issue, summary, repoDir: flags.repo, remote: flags.remote, testCmd: flags.testCmd,
              ...(flags.base ? { base: flags.base } : {}), commentOnFailure: flags.commentOnFailure, log: tracePublishLog(summary.runDir),
            }),
          );
          pull = res.value;
          publishCode = res.exitCode;
        }
        writeStepSummary(io.env, stepSummary(summary, { title: `issue #${issue.number}`, testCmd: flags.testCmd, ...(pull ? { pullUrl: pull.url } : {}) }));
        const code = finish(io, summary, pull, flags.json);
        return publishCode ?? code;
      }),
    );
}
