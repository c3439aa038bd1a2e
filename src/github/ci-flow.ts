/**
 * The GitHub flow of CI-fix mode, shared by `patchloop ci-fix` and the service's webhook jobs: the
 * task and locks from the failing tests before the loop; after it, a pull request against the
 * failing branch (or, in `append` mode, a commit on it). The loop itself is the caller's.
 */
import type { RunSummary } from '../run/run-task.ts';
import type { TestCaseResult } from '../sandbox/types.ts';
import type { GitHubApi, PullRef, RepoRef } from './client.ts';
import { mapToTracked } from './failures.ts';
import { publishRun, upsertComment } from './publish.ts';
import type { PublishLog } from './publish-log.ts';
import { commentMarker, failureComment } from './report.ts';
import { ciTask } from './task-text.ts';

/** Head branch of the fix of `sha`: the failing branch itself when appending, else `patchloop/ci-<sha12>`. */
export const ciHeadBranch = (sha: string, branch: string, pushToBranch?: boolean) => (pushToBranch ? branch : `patchloop/ci-${sha.slice(0, 12)}`);

export interface CiRunPlan {
  failures: TestCaseResult[];
  task: string;
  /** The failing tests' files, locked unless test edits were allowed. */
  lock: { lockedFiles?: string[] };
}

/**
 * Task and locks from the failing tests (paths mapped to tracked files). Pure.
 * @returns null when no test failed (nothing to fix).
 */
export function ciRunPlan(found: TestCaseResult[], tracked: string[], branch: string, o: { allowTestEdits?: boolean } = {}): CiRunPlan | null {
  const { failures, lockedFiles } = mapToTracked(found, tracked);
  if (failures.length === 0) return null;
  return { failures, task: ciTask(failures, branch), lock: o.allowTestEdits ? {} : { lockedFiles } };
}

export interface CiPublishOptions {
  api: GitHubApi;
  token: string;
  repo: RepoRef;
  summary: RunSummary;
  repoDir: string;
  remote: string;
  /** The failing branch and commit. */
  branch: string;
  sha: string;
  pushToBranch?: boolean;
  testCmd: string;
  commentOnFailure?: boolean;
  log?: PublishLog;
  /** One line for the operator (no pull request to comment on). */
  warn: (line: string) => void;
}

/**
 * Publishes an ended CI-fix run: a resolved run becomes a pull request against the failing branch
 * (or a commit on it); an unresolved one comments on the branch's pull request when asked.
 * @throws PatchloopError from the push or the GitHub API.
 */
export async function publishCiRun(o: CiPublishOptions): Promise<PullRef | null> {
  const { summary, branch, sha } = o;
  if (summary.status === 'resolved' && summary.commitSha) {
    return publishRun({
      api: o.api, repo: o.repo, summary, repoDir: o.repoDir, remote: o.remote, token: o.token, branch: ciHeadBranch(sha, branch, o.pushToBranch), base: branch,
      title: `Fix failing tests on ${branch} (${sha.slice(0, 7)})`, testCmd: o.testCmd, marker: commentMarker(`ci-${sha.slice(0, 12)}`),
      context: `patchloop's proposed fix for the CI failure on \`${branch}\` at ${sha}.`, mode: o.pushToBranch ? 'append' : 'replace', ...(o.log ? { log: o.log } : {}),
    });
  }
  if (o.commentOnFailure) {
    const target = await o.api.findPullByHead(o.repo, branch);
    const marker = commentMarker(`ci-${branch}`);
    if (target) await upsertComment(o.api, o.repo, target.number, marker, failureComment(summary, { marker, testCmd: o.testCmd }), o.log);
    else o.warn(`patchloop: no pull request has head ${branch}; nowhere to comment`);
  }
  return null;
}
