/**
 * After a run: push, open or update the pull request (found by head branch), and keep one comment
 * of ours per issue (found by a hidden marker) — all done by the tool, deterministically.
 */
import { PatchloopError } from '../errors.ts';
import type { RunSummary } from '../run/run-task.ts';
import { GitHubError, type GitHubApi, type IssueComment, type PullRef, type RepoRef } from './client.ts';
import { pushCommit } from './push.ts';
import { onceLogged, type PublishLog } from './publish-log.ts';
import { pullRequestBody } from './report.ts';

export interface PublishOptions {
  api: GitHubApi;
  repo: RepoRef;
  summary: RunSummary;
  /** Working copy whose object store holds the run's commit. */
  repoDir: string;
  remote: string;
  token?: string;
  /** Head branch pushed to, e.g. `patchloop/issue-12`, or the failing branch with `append`. */
  branch: string;
  /** Branch the pull request targets. */
  base: string;
  title: string;
  testCmd: string;
  /** Hidden marker of this work item, e.g. `<!-- patchloop:issue-12 -->`. */
  marker: string;
  /** First line of the body, e.g. "Fixes the failing CI run on `main` at abc123." */
  context: string;
  /** Issue number for `Fixes #N`. */
  fixes?: number;
  /** `replace` = tool-owned branch + pull request; `append` = add the commit to an existing branch, no new PR. */
  mode: 'replace' | 'append';
  /** The run's publish log: steps it records as done are skipped (a resumed job pushes and opens once). */
  log?: PublishLog;
}

/**
 * Pushes the run's commit and upserts the pull request.
 * @returns the pull request (null in `append` mode when the branch has none).
 * @throws PatchloopError `not_resolved` when the run has no commit; push and GitHub errors as thrown.
 */
export async function publishRun(o: PublishOptions): Promise<PullRef | null> {
  const sha = o.summary.commitSha;
  if (o.summary.status !== 'resolved' || !sha) throw new PatchloopError('not_resolved', `run ${o.summary.runId} is ${o.summary.status}: nothing to push`);
  await onceLogged(o.log, 'push', o.branch, () => pushCommit({ repoDir: o.repoDir, remote: o.remote, sha, branch: o.branch, mode: o.mode, ...(o.token ? { token: o.token } : {}) }), () => ({ sha }), () => undefined);
  if (o.mode === 'append') return o.api.findPullByHead(o.repo, o.branch);
  return onceLogged(o.log, 'pull_request', o.branch, () => upsertPull(o), (pr) => ({ sha, number: pr.number, url: pr.url }), (l) => ({ number: l.number!, url: l.url!, head: o.branch, base: o.base }));
}

/** Updates the open (or reopens the closed) pull request of `o.branch`, else opens one. */
async function upsertPull(o: PublishOptions): Promise<PullRef> {
  const body = pullRequestBody(o.summary, { testCmd: o.testCmd, marker: o.marker, context: o.context, ...(o.fixes ? { fixes: o.fixes } : {}) });
  const existing = await o.api.findPullByHead(o.repo, o.branch);
  if (existing) {
    try {
      return await o.api.updatePull(o.repo, existing.number, { title: o.title, body, state: 'open' });
    } catch (err) {
      // 422: a merged pull request cannot be reopened — open a new one for the new commit.
      if (!(err instanceof GitHubError && err.status === 422)) throw err;
    }
  }
  try {
    return await o.api.createPull(o.repo, { title: o.title, head: o.branch, base: o.base, body });
  } catch (err) {
    // 422 "A pull request already exists": someone (or a concurrent run) opened it meanwhile.
    if (!(err instanceof GitHubError && err.status === 422 && /already exists/i.test(err.message))) throw err;
    const again = await o.api.findPullByHead(o.repo, o.branch);
    if (!again || again.number === existing?.number) throw err;
    return o.api.updatePull(o.repo, again.number, { title: o.title, body, state: 'open' });
  }
}

/**
 * Creates or edits our one comment on `issue` (found by `marker`; comments by bots first, since a
 * person could paste the marker). When editing is refused (403/404: not ours), posts a new one.
 */
export async function upsertComment(api: GitHubApi, repo: RepoRef, issue: number, marker: string, body: string, log?: PublishLog): Promise<IssueComment> {
  return onceLogged(log, 'comment', `${issue}:${marker}`, () => upsertCommentNow(api, repo, issue, marker, body), (c) => ({ number: c.id, url: c.url }), (l) => ({ id: l.number ?? 0, author: '', body, url: l.url ?? '' }));
}

async function upsertCommentNow(api: GitHubApi, repo: RepoRef, issue: number, marker: string, body: string): Promise<IssueComment> {
  const mine = (await api.listComments(repo, issue)).filter((c) => c.body.includes(marker));
  mine.sort((a, b) => Number(b.author.endsWith('[bot]')) - Number(a.author.endsWith('[bot]')));
  for (const c of mine) {
    try {
      return await api.updateComment(repo, c.id, body);
    } catch (err) {
      if (!(err instanceof PatchloopError && /github_forbidden|github_not_found/.test(err.code))) throw err;
    }
  }
  return api.createComment(repo, issue, body);
}
