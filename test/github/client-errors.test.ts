/**
 * The GitHub client against the local server: requests carry the token; secondary rate limits
 * (403/429 with retry-after or x-ratelimit-reset) are waited out through the injected sleep (no real
 * waiting); 401/403/404 become errors that name the fix; 422 "pull request already exists" during
 * create is healed by updating the existing pull request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/github-server.ts';
import { createGitHubClient, rateLimitWaitMs } from '../../src/github/client.ts';
import { publishRun, upsertComment } from '../../src/github/publish.ts';
import type { RunSummary } from '../../src/run/run-task.ts';
import { git, scratchRepo } from './fixture.ts';

let gh: FakeGitHub;
let waits: number[];
const NOW = Date.UTC(2026, 10, 28, 6, 0, 0);
const repo = { owner: 'acme', repo: 'widgets' };
const client = (token = gh.token) => createGitHubClient({ token, baseUrl: gh.url, sleep: async (ms) => void waits.push(ms), now: () => NOW });

beforeEach(async () => {
  gh = await new FakeGitHub().start();
  gh.addIssue({ number: 3, title: 'Bug', body: 'broken', labels: ['patchloop'] });
  waits = [];
});
afterEach(() => gh.stop());

describe('GitHub client', () => {
  it('reads an issue with labels and comments, sending the token as the Authorization header', async () => {
    gh.comments.push({ id: 1, issue: 3, body: 'me too', user: 'alice' });
    const issue = await client().getIssue(repo, 3);
    expect(issue).toMatchObject({ number: 3, title: 'Bug', body: 'broken', labels: ['patchloop'], comments: [{ id: 1, author: 'alice', body: 'me too' }] });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/acme/widgets/issues/3', 'GET /repos/acme/widgets/issues/3/comments']);
    expect(gh.requests.every((r) => r.auth === `token ${gh.token}`)).toBe(true);
  });

  it('waits out a 403 secondary rate limit with retry-after, then succeeds', async () => {
    gh.fail('GET', /\/issues\/3$/, 403, { headers: { 'retry-after': '7' }, body: { message: 'You have exceeded a secondary rate limit' } });
    const issue = await client().getIssue(repo, 3);
    expect(issue.title).toBe('Bug');
    expect(waits).toEqual([7000]);
    expect(gh.requests.filter((r) => r.path.endsWith('/issues/3'))).toHaveLength(2);
  });

  it('waits until x-ratelimit-reset on a 429 with remaining 0', async () => {
    const reset = String(NOW / 1000 + 30);
    gh.fail('POST', /\/comments$/, 429, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
    const c = await client().createComment(repo, 3, 'hello');
    expect(c.body).toBe('hello');
    expect(waits).toEqual([31_000]);
  });

  it('gives up after 3 retries with a rate-limit error that says to run later', async () => {
    gh.fail('GET', /\/issues\/3$/, 429, { headers: { 'retry-after': '1' }, times: 10 });
    await expect(client().getIssue(repo, 3)).rejects.toMatchObject({ code: 'github_rate_limited', status: 429 });
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it('maps 401, 403 and 404 to errors naming the fix, without retrying', async () => {
    await expect(client('wrong').getIssue(repo, 3)).rejects.toMatchObject({ code: 'github_auth', message: expect.stringMatching(/GITHUB_TOKEN or GH_TOKEN/) });
    gh.fail('POST', /\/pulls$/, 403, { body: { message: 'Resource not accessible by integration' } });
    await expect(client().createPull(repo, { title: 't', head: 'h', base: 'main', body: '' })).rejects.toMatchObject({ code: 'github_forbidden', message: expect.stringMatching(/pull-requests write/) });
    await expect(client().getIssue(repo, 99)).rejects.toMatchObject({ code: 'github_not_found', exitCode: 2 });
    expect(waits).toEqual([]);
  });

  it('rateLimitWaitMs: plain 403 is not a rate limit; a secondary limit without headers waits 60 s', () => {
    expect(rateLimitWaitMs(403, {}, 'Resource not accessible', NOW)).toBeNull();
    expect(rateLimitWaitMs(403, {}, 'You have exceeded a secondary rate limit', NOW)).toBe(60_000);
    expect(rateLimitWaitMs(500, { 'retry-after': '1' }, '', NOW)).toBeNull();
  });

  it('heals 422 "pull request already exists" by updating the existing pull request', async () => {
    const s = scratchRepo();
    const sha = git(s.repo, 'rev-parse', 'HEAD');
    gh.pulls.push({ number: 41, title: 'old', body: 'old', head: 'patchloop/issue-3', base: 'main', state: 'open' });
    gh.fail('GET', /\/pulls$/, 200, { body: [] }); // the lookup races a concurrent create
    const summary = { status: 'resolved', commitSha: sha, runId: 'r1', runDir: '/nonexistent', touchedFiles: ['src/range.ts'], summary: 'Changed it.', plan: 'Plan.', iterations: 1, steps: 2, usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }, usd: 0.001, provider: 'replay', model: 'm', sandbox: { backend: 'bwrap', isolated: true } } as unknown as RunSummary;
    const pr = await publishRun({ api: client(), repo, summary, repoDir: s.repo, remote: 'origin', branch: 'patchloop/issue-3', base: 'main', title: 'Fix #3', testCmd: 'npm test', marker: '<!-- m -->', context: 'ctx', fixes: 3, mode: 'replace' });
    expect(pr?.number).toBe(41);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]!.title).toBe('Fix #3');
    const create = gh.requests.find((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
    expect(create?.body).toMatchObject({ head: 'patchloop/issue-3', base: 'main' });
    expect(git(s.origin, 'rev-parse', 'refs/heads/patchloop/issue-3')).toBe(sha);
  });

  it('opens a new pull request when the one found by head branch was merged (cannot be reopened)', async () => {
    const s = scratchRepo();
    const sha = git(s.repo, 'rev-parse', 'HEAD');
    gh.pulls.push({ number: 40, title: 'old', body: 'old', head: 'patchloop/issue-3', base: 'main', state: 'closed', merged: true });
    const summary = { status: 'resolved', commitSha: sha, runId: 'r2', runDir: '/nonexistent', touchedFiles: [], iterations: 1, steps: 1, usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, usd: 0, provider: 'replay', model: 'm', sandbox: { backend: 'bwrap', isolated: true } } as unknown as RunSummary;
    const pr = await publishRun({ api: client(), repo, summary, repoDir: s.repo, remote: 'origin', branch: 'patchloop/issue-3', base: 'main', title: 'Fix #3 again', testCmd: 'npm test', marker: '<!-- m -->', context: 'ctx', fixes: 3, mode: 'replace' });
    expect(pr?.number).not.toBe(40);
    expect(gh.pulls.map((p) => [p.number === 40, p.state])).toEqual([[true, 'closed'], [false, 'open']]);
  });

  it('edits its own marked comment, not a person\'s comment that quotes the marker', async () => {
    gh.comments.push({ id: 5, issue: 3, body: 'see <!-- patchloop:issue-3 -->', user: 'mallory' }, { id: 6, issue: 3, body: '<!-- patchloop:issue-3 --> old', user: 'patchloop[bot]' });
    const c = await upsertComment(client(), repo, 3, '<!-- patchloop:issue-3 -->', '<!-- patchloop:issue-3 --> new');
    expect(c.id).toBe(6);
    expect(gh.comments.find((x) => x.id === 5)!.body).toBe('see <!-- patchloop:issue-3 -->');
    expect(gh.comments).toHaveLength(2);
  });
});
