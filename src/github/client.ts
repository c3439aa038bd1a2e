/**
 * The narrow slice of GitHub's REST API patchloop uses (issues, comments, pull requests), over
 * `@octokit/rest`. One place owns the retry policy: secondary rate limits (403/429 carrying
 * `retry-after` or an exhausted `x-ratelimit-*`) are waited out with an injected `sleep`; every
 * other failure maps to a PatchloopError that names the problem and the fix. The token is only ever
 * handed to Octokit's auth; Octokit's own logger is silenced so nothing prints request details.
 */
import { Octokit } from '@octokit/rest';
import { ConfigError, PatchloopError, UsageError } from '../errors.ts';
import { githubToken } from './session.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface IssueComment {
  id: number;
  author: string;
  body: string;
  url: string;
}

export interface IssueData {
  number: number;
  title: string;
  body: string;
  labels: string[];
  url: string;
  comments: IssueComment[];
}

export interface PullRef {
  number: number;
  url: string;
  head: string;
  base: string;
}

/** What the commands call; tests may hand in their own implementation. */
export interface GitHubApi {
  /** Issue with title, body, label names and all comments. @throws UsageError `github_not_found` */
  getIssue(ref: RepoRef, number: number): Promise<IssueData>;
  getDefaultBranch(ref: RepoRef): Promise<string>;
  /** Open or closed pull request whose head is `branch` in `ref` itself, or null. */
  findPullByHead(ref: RepoRef, branch: string): Promise<PullRef | null>;
  createPull(ref: RepoRef, p: { title: string; head: string; base: string; body: string }): Promise<PullRef>;
  updatePull(ref: RepoRef, number: number, p: { title: string; body: string; state?: 'open' }): Promise<PullRef>;
  listComments(ref: RepoRef, issue: number): Promise<IssueComment[]>;
  createComment(ref: RepoRef, issue: number, body: string): Promise<IssueComment>;
  updateComment(ref: RepoRef, id: number, body: string): Promise<IssueComment>;
}

export interface GitHubClientOptions {
  token: string;
  /** REST root, e.g. `https://ghe.example.com/api/v3`. Default `https://api.github.com`. */
  baseUrl?: string;
  /** Waits `ms` milliseconds; tests pass an instant one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `x-ratelimit-reset`, ms since epoch. */
  now?: () => number;
  /** Rate-limit retries per request. Default 3. */
  maxRetries?: number;
  /** Longest single wait accepted, ms; a longer reset fails fast instead. Default 300 000 (5 min). */
  maxWaitMs?: number;
}

/** Error carrying the HTTP status of a GitHub answer that was not retried away. */
export class GitHubError extends PatchloopError {
  constructor(code: string, message: string, readonly status: number, cause?: unknown) {
    super(code, message, { exitCode: status === 401 || status === 403 ? 2 : 1, cause });
  }
}

/**
 * Wait GitHub asked for, in ms, when `status`/`headers` are a (secondary) rate limit; else null.
 * Source: GitHub REST docs "Rate limits for the REST API" (docs.github.com, API version 2022-11-28,
 * read 2026-11): honour `retry-after` (seconds); when `x-ratelimit-remaining` is 0 wait until
 * `x-ratelimit-reset` (epoch seconds); a secondary limit without either header: wait at least 60 s.
 */
export function rateLimitWaitMs(status: number, headers: Record<string, string | undefined>, message: string, nowMs: number): number | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const reset = headers['x-ratelimit-reset'];
  if (headers['x-ratelimit-remaining'] === '0' && reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs) + 1000;
  if (status === 429 || /secondary rate limit|abuse/i.test(message)) return 60_000;
  return null;
}

interface HttpErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function isHttpError(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/** Builds the Octokit-backed client. @throws ConfigError `github_token_missing` for an empty token. */
export function createGitHubClient(opts: GitHubClientOptions): GitHubApi {
  if (!opts.token) throw new ConfigError('github_token_missing', 'no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with contents, issues and pull-requests write access');
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const maxRetries = opts.maxRetries ?? 3;
  const maxWaitMs = opts.maxWaitMs ?? 300_000;
  const silent = () => {};
  const octokit = new Octokit({
    auth: opts.token,
    baseUrl: (opts.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'patchloop',
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isHttpError(err)) throw err;
        const headers = err.response?.headers ?? {};
        const wait = rateLimitWaitMs(err.status, headers, err.message, now());
        if (wait !== null && attempt < maxRetries && wait <= maxWaitMs) {
          await sleep(wait);
          continue;
        }
        throw mapError(what, err, wait);
      }
    }
  }

  const pull = (p: { number: number; html_url: string; head: { ref: string }; base: { ref: string } }): PullRef => ({ number: p.number, url: p.html_url, head: p.head.ref, base: p.base.ref });
  const comment = (c: { id: number; body?: string | null; html_url: string; user?: { login: string } | null }): IssueComment => ({ id: c.id, author: c.user?.login ?? '', body: c.body ?? '', url: c.html_url });

  return {
    async getIssue(ref, number) {
      const { data } = await call(`issue ${ref.owner}/${ref.repo}#${number}`, () => octokit.issues.get({ ...ref, issue_number: number }));
      const comments = await this.listComments(ref, number);
      const labels = data.labels.map((l) => (typeof l === 'string' ? l : l.name ?? '')).filter(Boolean);
      return { number: data.number, title: data.title, body: data.body ?? '', labels, url: data.html_url, comments };
    },
    async getDefaultBranch(ref) {
      const { data } = await call(`repository ${ref.owner}/${ref.repo}`, () => octokit.repos.get({ owner: ref.owner, repo: ref.repo }));
      return data.default_branch;
    },
    async findPullByHead(ref, branch) {
      const { data } = await call(`pull requests of ${ref.owner}/${ref.repo}`, () => octokit.pulls.list({ ...ref, head: `${ref.owner}:${branch}`, state: 'all', per_page: 10 }));
      const mine = data.filter((p) => p.head.ref === branch);
      // Prefer an open one; a closed one is reopened by the caller.
      const found = mine.find((p) => p.state === 'open') ?? mine[0];
      return found ? pull(found) : null;
    },
    async createPull(ref, p) {
      const { data } = await call(`new pull request ${p.head} → ${p.base}`, () => octokit.pulls.create({ ...ref, ...p }));
      return pull(data);
    },
    async updatePull(ref, number, p) {
      const { data } = await call(`pull request #${number}`, () => octokit.pulls.update({ ...ref, pull_number: number, ...p }));
      return pull(data);
    },
    async listComments(ref, issue) {
      const all = await call(`comments of #${issue}`, () => octokit.paginate(octokit.issues.listComments, { ...ref, issue_number: issue, per_page: 100 }));
      return all.map(comment);
    },
    async createComment(ref, issue, body) {
      const { data } = await call(`comment on #${issue}`, () => octokit.issues.createComment({ ...ref, issue_number: issue, body }));
      return comment(data);
    },
    async updateComment(ref, id, body) {
      const { data } = await call(`comment ${id}`, () => octokit.issues.updateComment({ ...ref, comment_id: id, body }));
      return comment(data);
    },
  };
}

/** Maps a GitHub failure to an error naming the problem and the fix. */
function mapError(what: string, err: HttpErrorLike, wait: number | null): PatchloopError {
  const detail = ghMessage(err);
  if (wait !== null) return new GitHubError('github_rate_limited', `GitHub rate limit on ${what} (${err.status}): still limited after retries (next wait ${Math.round(wait / 1000)} s); run again later or lower the request rate`, err.status, err);
  switch (err.status) {
    case 401:
      return new GitHubError('github_auth', `GitHub rejected the token (401) on ${what}: set GITHUB_TOKEN or GH_TOKEN to a valid token`, 401, err);
    case 403:
      return new GitHubError('github_forbidden', `GitHub refused ${what} (403: ${detail}): give the token contents, issues and pull-requests write permission`, 403, err);
    case 404:
      return new UsageError('github_not_found', `${what} not found on GitHub (404): check owner/repo and number, and that the token can see the repository`, err);
    case 422:
      return new GitHubError('github_unprocessable', `GitHub could not process ${what} (422: ${detail})`, 422, err);
    default:
      return new GitHubError('github_http', `GitHub answered ${err.status} on ${what}: ${detail}`, err.status, err);
  }
}

/** GitHub's own message plus its `errors[].message`, e.g. "A pull request already exists for o:b.". */
export function ghMessage(err: HttpErrorLike): string {
  const data = err.response?.data as { message?: string; errors?: { message?: string }[] } | undefined;
  const parts = [data?.message ?? err.message, ...(data?.errors ?? []).map((e) => e.message).filter(Boolean)];
  return parts.join('; ');
}

/**
 * GitHub client from the environment's token (`GITHUB_TOKEN`, else `GH_TOKEN`) — never from a
 * request or a flag. `githubApiUrl` (else `$GITHUB_API_URL`) points at GitHub Enterprise.
 * @throws ConfigError `github_token_missing`
 */
export function githubFromEnv(flags: { githubApiUrl?: string }, env: Record<string, string | undefined>): { api: GitHubApi; token: string } {
  const token = githubToken(env);
  if (!token) throw new ConfigError('github_token_missing', 'no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read issues and write contents, issues and pull requests');
  const baseUrl = flags.githubApiUrl ?? env['GITHUB_API_URL'];
  return { api: createGitHubClient({ token, ...(baseUrl ? { baseUrl } : {}) }), token };
}
