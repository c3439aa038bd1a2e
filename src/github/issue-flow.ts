/**
 * The GitHub flow of issue mode, shared by `patchloop issue` and the service's webhook jobs: the
 * task and locks from an issue before the loop; after it, push `patchloop/issue-<N>`, open or update
 * the pull request and keep one comment on the issue. The loop itself is the caller's (the CLI's
 * `runLoop`, the service's `runTask`/`resumeRun` with its job id), so both run the same steps.
 */
import type { RunSummary } from '../run/run-task.ts';
import type { GitHubApi, IssueData, PullRef, RepoRef } from './client.ts';
import { publishRun, upsertComment } from './publish.ts';
import type { PublishLog } from './publish-log.ts';
import { commentMarker, failureComment, linkComment } from './report.ts';
import { TEST_FILE_GLOBS } from './session.ts';
import { issueTask } from './task-text.ts';

/** Label that lets an issue's tests be edited (labels need triage access; the issue text cannot). */
export const DEFAULT_TESTS_LABEL = 'patchloop:tests';

/** The tool-owned branch of issue `n`. */
export const issueBranch = (n: number) => `patchloop/issue-${n}`;
/** Key of the per-branch daily attempt cap (src/github/attempts.ts). */
export const issueAttemptKey = (repo: RepoRef, n: number) => `${repo.owner}/${repo.repo}@${issueBranch(n)}`;

export interface IssueRunPlan {
  /** The loop's task: the issue quoted as untrusted text under fixed rules. */
  task: string;
  /** Test files are locked unless edits were allowed by flag or by the tests label. */
  lock: { lockedGlobs?: string[] };
}

/** Task and locks of an issue (pure). */
export function issueRunPlan(issue: IssueData, o: { allowTestEdits?: boolean; testsLabel?: string }): IssueRunPlan {
  const testsLocked = !o.allowTestEdits && !issue.labels.includes(o.testsLabel ?? DEFAULT_TESTS_LABEL);
  return { task: issueTask(issue, { testsLocked }), lock: testsLocked ? { lockedGlobs: TEST_FILE_GLOBS } : {} };
}

export interface IssuePublishOptions {
  api: GitHubApi;
  token: string;
  repo: RepoRef;
  issue: Pick<IssueData, 'number' | 'title'>;
  summary: RunSummary;
  /** Working copy holding the run's commit. */
  repoDir: string;
  remote: string;
  /** Branch the pull request targets; default the repository's default branch. */
  base?: string;
  testCmd: string;
  /** When not resolved, comment with what was tried and why it stopped. */
  commentOnFailure?: boolean;
  /** The run's publish log (src/github/publish-log.ts): done steps are skipped. */
  log?: PublishLog;
}

/**
 * Publishes an ended run of issue mode: a resolved run's commit is pushed, its pull request opened
 * or updated and linked from one comment on the issue; an unresolved one comments only when asked.
 * @returns the pull request, or null when nothing was opened.
 * @throws PatchloopError from the push or the GitHub API.
 */
export async function publishIssueRun(o: IssuePublishOptions): Promise<PullRef | null> {
  const { summary, issue } = o;
  const marker = commentMarker(`issue-${issue.number}`);
  if (summary.status !== 'resolved' || !summary.commitSha) {
    if (o.commentOnFailure) await upsertComment(o.api, o.repo, issue.number, marker, failureComment(summary, { marker, testCmd: o.testCmd }), o.log);
    return null;
  }
  const base = o.base ?? (await o.api.getDefaultBranch(o.repo));
  const pr = await publishRun({
    api: o.api, repo: o.repo, summary, repoDir: o.repoDir, remote: o.remote, token: o.token, branch: issueBranch(issue.number), base,
    title: `Fix #${issue.number}: ${issue.title}`.slice(0, 200), testCmd: o.testCmd, marker: commentMarker(`pr-issue-${issue.number}`),
    context: `patchloop's proposed fix for #${issue.number}.`, fixes: issue.number, mode: 'replace', ...(o.log ? { log: o.log } : {}),
  });
  if (pr) await upsertComment(o.api, o.repo, issue.number, marker, linkComment(summary, { marker, pullUrl: pr.url, pullNumber: pr.number }), o.log);
  return pr;
}
