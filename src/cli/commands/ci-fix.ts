/**
 * `patchloop ci-fix`: from a red CI run (vitest JSON, JUnit XML, or a run of the test command) to a
 * pull request against the branch that failed — or, with `--push-to-branch`, a commit on that
 * branch. Does nothing on a commit patchloop made (`Patchloop-Run` trailer): no bot loops.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { Action, CliIo } from '../io.ts';
import { parsePositiveInt } from '../wiring.ts';
import { EXIT } from '../exit-codes.ts';
import { hardenedGit, openRepo } from '../../git/repo.ts';
import { createSandbox } from '../../sandbox/create.ts';
import { runTests } from '../../sandbox/run-tests.ts';
import type { TestCaseResult } from '../../sandbox/types.ts';
import { githubFromEnv, type PullRef } from '../../github/client.ts';
import { parseRepoSlug } from '../../github/issue-ref.ts';
import { failuresFromJUnit, failuresFromVitestJson } from '../../github/failures.ts';
import { defaultAttemptsPath, takeAttempt } from '../../github/attempts.ts';
import { ciRunPlan, publishCiRun } from '../../github/ci-flow.ts';
import { tracePublishLog } from '../../github/publish-log.ts';
import { stepSummary } from '../../github/report.ts';
import { runTrailerOf, writeStepSummary } from '../../github/session.ts';
import { addLoopOptions, finish, publishing, runLoop, type LoopFlags } from './issue.ts';

interface CiFlags extends LoopFlags {
  report?: string; junit?: string; githubRepo?: string; branch?: string; pushToBranch?: boolean; allowTestEdits?: boolean; publish: boolean;
}

/** The failing tests, from whichever source the flags name. */
async function findFailures(flags: CiFlags, root: string, io: CliIo): Promise<TestCaseResult[]> {
  if (flags.report && flags.junit) throw new UsageError('two_reports', 'pass one of --report <vitest.json> or --junit <report.xml>, not both');
  if (flags.report) return failuresFromVitestJson(flags.report, root);
  if (flags.junit) return failuresFromJUnit(flags.junit, root);
  const sandbox = await createSandbox({ backend: flags.sandbox as 'auto' | 'bwrap' | 'process', warn: (l) => io.err(`${l}\n`) });
  const res = await runTests(sandbox, { command: flags.testCmd, cwd: root, timeoutMs: parsePositiveInt(flags.testTimeout, '--test-timeout') });
  return res.failures;
}

export function registerCiFix(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  addLoopOptions(program.command('ci-fix').description('fix the tests that failed in CI and open a pull request against the failing branch'))
    .option('--report <file>', 'vitest JSON report of the failed run (vitest --reporter=json --outputFile=<file>)')
    .option('--junit <file>', 'JUnit XML report of the failed run')
    .option('--github-repo <owner/repo>', 'repository on GitHub (default $GITHUB_REPOSITORY)')
    .option('--branch <name>', 'branch that failed (default $GITHUB_HEAD_REF, $GITHUB_REF_NAME, else the current branch)')
    .option('--push-to-branch', "add the fix as a commit on the failing branch (e.g. a pull request's branch) instead of a new pull request")
    .option('--allow-test-edits', 'let the model edit the failing tests (for test-writing tasks)')
    .option('--no-publish', 'run only: push nothing, open nothing, comment nothing')
    .action(
      wrap(async (flags: CiFlags) => {
        const repoInfo = await openRepo(flags.repo);
        const git = hardenedGit(repoInfo.root);
        const sha = repoInfo.head;
        const trailer = await runTrailerOf(repoInfo.root, sha);
        if (trailer) {
          io.err(`patchloop: ${sha.slice(0, 12)} is patchloop's own commit (Patchloop-Run: ${trailer}); ci-fix does nothing on it (no bot loops)\n`);
          return EXIT.resolved;
        }
        const branch = flags.branch || io.env['GITHUB_HEAD_REF'] || io.env['GITHUB_REF_NAME'] || (await git.raw(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
        if (!branch || branch === 'HEAD') throw new UsageError('no_branch', 'cannot tell which branch failed (detached HEAD): pass --branch <name>');
        const slug = flags.githubRepo ?? io.env['GITHUB_REPOSITORY'];
        const repo = flags.publish ? parseRepoSlug(slug ?? '', slug ? '--github-repo' : '--github-repo (or $GITHUB_REPOSITORY)') : null;
        const gh = repo ? githubFromEnv(flags, io.env) : null;
        const cap = parsePositiveInt(flags.maxAttemptsPerDay, '--max-attempts-per-day');

        const tracked = (await git.raw(['ls-files'])).split('\n').filter(Boolean);
        const plan = ciRunPlan(await findFailures(flags, repoInfo.root, io), tracked, branch, flags);
        if (!plan) {
          io.err('patchloop: no failing tests found: nothing to fix\n');
          return EXIT.resolved;
        }
        const repoKey = repo ? `${repo.owner}/${repo.repo}` : repoInfo.root;
        takeAttempt({ file: flags.attemptsFile ?? defaultAttemptsPath(), key: `${repoKey}@${branch}`, cap });
        const summary = await runLoop(flags, io, plan.task, plan.lock);

        let pull: PullRef | null = null;
        let publishCode: number | undefined;
        if (repo && gh) {
          const res = await publishing(io, () =>
            publishCiRun({
              api: gh.api, token: gh.token, repo, summary, repoDir: repoInfo.root, remote: flags.remote, branch, sha, pushToBranch: flags.pushToBranch,
              testCmd: flags.testCmd, commentOnFailure: flags.commentOnFailure, log: tracePublishLog(summary.runDir), warn: (l) => io.err(`${l}\n`),
            }),
          );
          pull = res.value;
          publishCode = res.exitCode;
        }
        writeStepSummary(io.env, stepSummary(summary, { title: `ci-fix on ${branch}`, testCmd: flags.testCmd, ...(pull ? { pullUrl: pull.url } : {}) }));
        const code = finish(io, summary, pull, flags.json);
        return publishCode ?? code;
      }),
    );
}
