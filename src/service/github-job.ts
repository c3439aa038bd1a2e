/**
 * The GitHub steps of a webhook job, which runs in the worker's process through the same path as a
 * `POST /v1/runs` job (executor.ts: `runTask` with the job's id, `resumeRun` from its snapshot, SSE
 * and metrics from its trace). Before a fresh run: the task and locks of `patchloop issue` /
 * `patchloop ci-fix` (src/github/issue-flow.ts, ci-flow.ts) and one attempt of the per-branch daily
 * cap (`<state>/attempts.json`); a CI fix is found and made at the failed run's commit (ci-commit.ts).
 * After a run that ended: push, pull request and one comment, which the run's publish log
 * (src/github/publish-log.ts) makes idempotent across resumes and retries.
 * The GitHub token comes only from the worker's environment (GITHUB_TOKEN / GH_TOKEN), never from a request.
 */
import path from 'node:path';
import { ConfigError, PatchloopError } from '../errors.ts';
import { detectProject } from '../cli/init-config.ts';
import { hardenedGit, openRepo } from '../git/repo.ts';
import { runTests } from '../sandbox/run-tests.ts';
import { loadRunState } from '../run/resume.ts';
import type { RunSummary } from '../run/run-task.ts';
import { TrajectoryWriter, type TraceLine } from '../trace/trajectory.ts';
import { DEFAULT_DAILY_ATTEMPTS, takeAttempt } from '../github/attempts.ts';
import { issueAttemptKey, issueRunPlan, publishIssueRun } from '../github/issue-flow.ts';
import { ciRunPlan, publishCiRun } from '../github/ci-flow.ts';
import { parseRepoSlug } from '../github/issue-ref.ts';
import { tracePublishLog } from '../github/publish-log.ts';
import { githubFromEnv } from '../github/client.ts';
import { runTrailerOf } from '../github/session.ts';
import type { ExecutorConfig } from './executor.ts';
import { githubJobSchema, type GitHubJobRequest } from './run-request.ts';
import { DEFAULT_FETCH_TIMEOUT_MS } from './repo-cache.ts';
import { ensureCommit, withDetachedWorktree } from './ci-commit.ts';

export type GitHubJob = GitHubJobRequest;

/** Remote the fix is pushed to: the checkout's own `origin` under the repos root. */
export const GITHUB_REMOTE = 'origin';
/** Wall-clock limit of the test run that finds a CI job's failures, ms (the loop's default). */
const CI_TEST_TIMEOUT_MS = 120_000;

/** Where a service counts attempts per branch per UTC day. */
export const attemptsPathOf = (stateDir: string) => path.join(stateDir, 'attempts.json');

/** What the loop of a fresh GitHub job is given. */
export interface GitHubRunInput {
  task: string;
  testCmd: string;
  lockedGlobs?: string[];
  lockedFiles?: string[];
  /** Commit the run's worktree starts from (a CI fix: the failed run's); absent: the checkout's HEAD. */
  baseRef?: string;
}

const githubOf = (cfg: ExecutorConfig) => githubFromEnv(cfg.githubApiUrl ? { githubApiUrl: cfg.githubApiUrl } : {}, cfg.env);

/**
 * Task, test command and locks of a fresh job, and one attempt taken. A CI fix runs the tests in a
 * temporary detached worktree at the failed run's commit (`headSha`, fetched from `origin` in the
 * sandbox when the checkout lacks it) and starts the loop there (`baseRef`). A job queued before
 * `headSha` existed uses the checkout's HEAD at this moment, as it did then.
 * @throws ConfigError `bad_github_job` (a queued job that fails `githubJobSchema`), `github_token_missing`;
 *   BudgetError `attempt_cap`; GitHub API errors; EnvironmentError `ci_commit_missing`, `deps_missing`;
 *   PatchloopError `own_commit` (the commit is patchloop's: no bot loops) or `nothing_to_fix`.
 */
export async function prepareGitHubJob(cfg: ExecutorConfig, job: GitHubJob, repoDir: string): Promise<GitHubRunInput> {
  // The queue is read back from a store another process wrote: checked again before git sees it.
  const parsed = githubJobSchema.safeParse(job);
  if (!parsed.success) throw new ConfigError('bad_github_job', `queued GitHub job is malformed (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}); cancel it and trigger the event again (label, comment or re-run)`);
  const g = parsed.data;
  const gh = githubOf(cfg);
  const repo = parseRepoSlug(g.repo, 'the webhook repository');
  const attempt = (key: string) => takeAttempt({ file: attemptsPathOf(cfg.stateDir), key, cap: DEFAULT_DAILY_ATTEMPTS });
  if (g.kind === 'issue') {
    const issue = await gh.api.getIssue(repo, g.number!);
    attempt(issueAttemptKey(repo, issue.number));
    const plan = issueRunPlan(issue, {});
    return { task: plan.task, testCmd: detectProject(repoDir).testCmd, ...plan.lock };
  }
  const info = await openRepo(repoDir);
  const sha = g.headSha ?? info.head;
  await ensureCommit({ repo: info, sha, slug: g.repo, sandbox: cfg.sandbox, timeoutMs: cfg.repoCache?.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, ...(cfg.gitAllowHttp ? { gitAllowHttp: cfg.gitAllowHttp } : {}) });
  const trailer = await runTrailerOf(info.root, sha);
  if (trailer) throw new PatchloopError('own_commit', `${sha.slice(0, 12)} is patchloop's own commit (Patchloop-Run: ${trailer}); a CI fix of it is not run (no bot loops)`);
  const { testCmd, plan } = await withDetachedWorktree(info, sha, async (dir) => {
    const testCmd = detectProject(dir).testCmd;
    const tracked = (await hardenedGit(dir).raw(['ls-files'])).split('\n').filter(Boolean);
    const found = await runTests(cfg.sandbox, { command: testCmd, cwd: dir, timeoutMs: CI_TEST_TIMEOUT_MS });
    return { testCmd, plan: ciRunPlan(found.failures, tracked, g.branch!) };
  });
  if (!plan) throw new PatchloopError('nothing_to_fix', `no test fails on ${g.repo} ${g.branch} at ${sha.slice(0, 12)}: nothing to fix`);
  attempt(`${g.repo}@${g.branch}`);
  return { task: plan.task, testCmd, ...plan.lock, baseRef: sha };
}

/**
 * Publishes an ended run (skips every step its publish log holds). Never throws: a failure is on
 * the trace (a failed `publish` line, or a `warning`) and the job keeps the run's status.
 */
export async function publishGitHubJob(cfg: ExecutorConfig, g: GitHubJob, repoDir: string, summary: RunSummary, onTrace?: (line: TraceLine) => void): Promise<void> {
  const log = tracePublishLog(summary.runDir, onTrace);
  try {
    const gh = githubOf(cfg);
    const repo = parseRepoSlug(g.repo, 'the webhook repository');
    const testCmd = loadRunState(summary.runDir).record.options.testCmd;
    const common = { api: gh.api, token: gh.token, repo, summary, repoDir, remote: GITHUB_REMOTE, testCmd, commentOnFailure: true, log };
    if (g.kind === 'issue') {
      // Only the number and title are used: the title names the pull request.
      const { number, title } = await gh.api.getIssue(repo, g.number!);
      await publishIssueRun({ ...common, issue: { number, title } });
    } else {
      await publishCiRun({ ...common, branch: g.branch!, sha: summary.baseSha, warn: (message) => new TrajectoryWriter(path.join(summary.runDir, 'trajectory.jsonl'), undefined, onTrace).write({ type: 'warning', message }) });
    }
  } catch (err) {
    new TrajectoryWriter(path.join(summary.runDir, 'trajectory.jsonl'), undefined, onTrace).write({ type: 'warning', message: `publishing failed: ${(err as Error).message}` });
  }
}
