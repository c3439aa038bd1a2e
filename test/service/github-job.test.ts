/**
 * A webhook job end to end, in the service's own queue: real Fastify, the replay provider, the fake
 * GitHub REST server and a local bare `origin`. A signed `issues.labeled` delivery runs in-process
 * under its job id (its states stream over SSE while it runs), ends resolved, and publishes one
 * branch, one pull request and one comment; a redelivery queues nothing; a retried job publishes
 * nothing twice; a job stopped mid-run by a shutdown resumes on restart from its snapshot, paying
 * each model reply once and opening its pull request once; a failed `workflow_run` becomes a pull
 * request against the failing branch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FakeGitHub } from '../support/github-server.ts';
import { git, scratchRepo, transcript, type Scratch } from '../github/fixture.ts';
import { readTrajectory, type TraceLine } from '../../src/trace/trajectory.ts';
import { startService, executorConfig, type RunningService, type ServeOptions } from '../../src/service/server.ts';
import { executeJob, runDirOf } from '../../src/service/executor.ts';
import { isTerminal } from '../../src/service/job-store.ts';
import { readSse, signWebhook, WEBHOOK_SECRET, hasModelReply } from './support.ts';

const REPLIES = readFileSync(transcript('resolve'), 'utf8').trim().split('\n').length;

let gh: FakeGitHub;
let s: Scratch;
let opts: ServeOptions;
let svc: RunningService;
let token: string;

beforeAll(async () => {
  gh = await new FakeGitHub().start();
  for (const number of [7, 8, 9]) gh.addIssue({ number, title: `clamp is wrong (${number})`, body: 'clamp(5, 0, 10) gives 0; expected 5.', labels: ['patchloop'] });
  s = scratchRepo();
  // The checkout the webhook's repository maps to: <repos root>/acme/widgets, its origin the bare repo.
  const reposRoot = path.join(s.dir, 'repos');
  mkdirSync(path.join(reposRoot, 'acme'), { recursive: true });
  renameSync(s.repo, path.join(reposRoot, 'acme', 'widgets'));
  s.repo = path.join(reposRoot, 'acme', 'widgets');
  opts = {
    port: 0, host: '127.0.0.1', workers: 1, reposRoot, stateDir: path.join(s.dir, 'state'), sandbox: 'auto', validate: false,
    env: { GITHUB_TOKEN: gh.token }, provider: { provider: 'replay', transcript: transcript('resolve') }, githubWebhookSecret: WEBHOOK_SECRET, githubApiUrl: gh.url,
  };
  svc = await startService(opts);
  token = svc.keys.create('watcher').token;
});
afterAll(async () => {
  await svc?.close();
  await gh?.stop();
  rmSync(s.dir, { recursive: true, force: true });
});

const labeled = (number: number) => ({ action: 'labeled', label: { name: 'patchloop' }, issue: { number }, repository: { full_name: 'acme/widgets' } });
const deliver = (payload: unknown, delivery = randomUUID(), event = 'issues') => {
  const body = JSON.stringify(payload);
  return fetch(`${svc.url}/v1/github/webhook`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signWebhook(body) },
  });
};
const events = (id: string, after?: number) => fetch(`${svc.url}/v1/runs/${id}/events`, { headers: { authorization: `Bearer ${token}`, ...(after !== undefined ? { 'last-event-id': String(after) } : {}) } });
const traceOf = (id: string): TraceLine[] => readTrajectory(path.join(runDirOf(opts.stateDir, id), 'trajectory.jsonl'));
const until = async (what: string, pred: () => boolean, timeoutMs = 60_000) => {
  for (const end = Date.now() + timeoutMs; !pred(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
};
const mutations = () => gh.requests.filter((r) => r.method !== 'GET');
const publishLines = (trace: TraceLine[]) => trace.filter((l): l is Extract<TraceLine, { type: 'publish' }> => l.type === 'publish');

describe('webhook jobs in the service queue', { timeout: 60_000 }, () => {
  it('issues.labeled → an in-process run streamed over SSE under the job id, resolved, published once; a redelivery and a retry add nothing', async () => {
    const delivery = randomUUID();
    const res = await deliver(labeled(7), delivery);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    // The first event arrives while the job is still running, on the job's own id.
    const first = await readSse(await events(id), 1);
    expect(first[0]!.data.type).toBe('run_start');
    expect(first[0]!.data['runId']).toBe(id);
    expect(svc.store.get(id)!.status).toBe('running');
    // Reconnecting after it gets the rest, each once, to the end (publishing included).
    const rest = await readSse(await events(id, first[0]!.id));
    expect(rest[0]!.id).toBe(first[0]!.id + 1);
    const types = rest.map((e) => e.data.type);
    expect(types).toContain('state');
    expect(types.filter((t) => t === 'model_call')).toHaveLength(REPLIES);
    expect(types.indexOf('run_end')).toBeLessThan(types.indexOf('publish'));

    await until('the job to end', () => isTerminal(svc.store.get(id)!.status));
    const job = svc.store.get(id)!;
    expect(job.status).toBe('resolved');
    const sha = job.summary!.commitSha!;
    expect(git(s.origin, 'rev-parse', 'refs/heads/patchloop/issue-7')).toBe(sha);
    expect(gh.pulls).toEqual([expect.objectContaining({ head: 'patchloop/issue-7', base: 'main', state: 'open', title: 'Fix #7: clamp is wrong (7)' })]);
    expect(gh.pulls[0]!.body).toContain(id);
    const comments = gh.comments.filter((c) => c.issue === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- patchloop:issue-7 -->');
    expect(comments[0]!.body).toContain(`pull/${gh.pulls[0]!.number}`);
    // Test files stay locked in issue mode; every GitHub request carried the worker's token.
    expect(gh.requests.every((r) => r.auth === `token ${gh.token}`)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(runDirOf(opts.stateDir, id), 'run.json'), 'utf8')).options.lockedGlobs).toContain('test/**');
    expect(publishLines(traceOf(id)).map((l) => [l.action, l.ok])).toEqual([['push', true], ['pull_request', true], ['comment', true]]);

    // Any key lists it; the metrics counted its steps from its trace.
    const listed = (await (await fetch(`${svc.url}/v1/runs?limit=10`, { headers: { authorization: `Bearer ${token}` } })).json()) as { runs: { id: string }[] };
    expect(listed.runs.map((r) => r.id)).toContain(id);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/patchloop_step_duration_seconds_count\{kind="model_call"\} [1-9]/);

    // The same delivery again: refused, nothing queued.
    const jobs = svc.store.list({ limit: 50 }).length;
    expect((await deliver(labeled(7), delivery)).status).toBe(409);
    expect(svc.store.list({ limit: 50 }).length).toBe(jobs);

    // A worker that takes the ended job again (it died before recording the end) publishes nothing twice.
    const before = mutations().length;
    const cfg = await executorConfig(opts);
    const again = await executeJob(cfg, job, undefined, { control: { stopRequested: false, signal: new AbortController().signal } });
    expect(again.commitSha).toBe(sha);
    expect(mutations().length).toBe(before);
    expect(publishLines(traceOf(id))).toHaveLength(3);
  });

  it('a job stopped mid-run by a shutdown resumes from its snapshot on restart: each reply once, one push, one pull request, one comment', async () => {
    const { id } = (await (await deliver(labeled(8))).json()) as { id: string };
    await until('the first model reply', () => hasModelReply(path.join(runDirOf(opts.stateDir, id), 'trajectory.jsonl')));
    await svc.close(); // stops after the current step; the job goes back to the queue
    const stopped = traceOf(id);
    expect(stopped.some((l) => l.type === 'interrupted')).toBe(true);
    expect(stopped.some((l) => l.type === 'run_end' && l.status !== 'interrupted')).toBe(false);
    expect(gh.pulls.filter((p) => p.head === 'patchloop/issue-8')).toEqual([]);

    svc = await startService(opts);
    token = svc.keys.create('watcher-2').token;
    await until('the resumed job to end', () => isTerminal(svc.store.get(id)!.status));
    const job = svc.store.get(id)!;
    expect(job.status).toBe('resolved');
    expect(job.attempts).toBe(2);
    const trace = traceOf(id);
    expect(trace.some((l) => l.type === 'resume')).toBe(true);
    expect(trace.filter((l) => l.type === 'model_call')).toHaveLength(REPLIES);
    expect(trace.filter((l) => l.type === 'commit')).toHaveLength(1);
    expect(git(s.origin, 'rev-parse', 'refs/heads/patchloop/issue-8')).toBe(job.summary!.commitSha);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/widgets/pulls' && r.body.head === 'patchloop/issue-8')).toHaveLength(1);
    expect(gh.comments.filter((c) => c.issue === 8)).toHaveLength(1);
    expect(publishLines(trace).filter((l) => l.action === 'push')).toHaveLength(1);
  });

  it('a failed workflow_run → a ci-fix job: the failures found by running the tests, a pull request against the failing branch', async () => {
    const sha = git(s.repo, 'rev-parse', 'HEAD');
    const res = await deliver({ action: 'completed', workflow_run: { conclusion: 'failure', head_branch: 'main', head_sha: sha, id: 99 }, repository: { full_name: 'acme/widgets' } }, randomUUID(), 'workflow_run');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await until('the ci-fix job to end', () => isTerminal(svc.store.get(id)!.status));
    const job = svc.store.get(id)!;
    expect(job.status).toBe('resolved');
    const head = `patchloop/ci-${sha.slice(0, 12)}`;
    expect(git(s.origin, 'rev-parse', `refs/heads/${head}`)).toBe(job.summary!.commitSha);
    expect(gh.pulls.filter((p) => p.head === head)).toEqual([expect.objectContaining({ base: 'main', state: 'open' })]);
    // The failing test is named in the task and locked.
    expect(job.summary!.task).toContain('src/range.spec.ts');
    expect(JSON.parse(readFileSync(path.join(runDirOf(opts.stateDir, id), 'run.json'), 'utf8')).options.lockedFiles).toEqual(['src/range.spec.ts']);
  });

  it('any key may cancel and resume a webhook job; a publishing step that failed is redone on a retry, the done ones are not', async () => {
    const { id } = (await (await deliver(labeled(9))).json()) as { id: string };
    await until('the first model reply', () => hasModelReply(path.join(runDirOf(opts.stateDir, id), 'trajectory.jsonl')));
    const post = (p: string) => fetch(`${svc.url}/v1/runs/${id}/${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await post('cancel')).status).toBe(202);
    await until('the cancel', () => isTerminal(svc.store.get(id)!.status));
    expect(svc.store.get(id)!.status).toBe('interrupted');
    gh.fail('POST', /^\/repos\/acme\/widgets\/pulls$/, 502); // GitHub fails the pull request once
    expect((await post('resume')).status).toBe(202);
    await until('the resumed job to end', () => isTerminal(svc.store.get(id)!.status));
    const job = svc.store.get(id)!;
    expect(job.status).toBe('resolved');
    expect(publishLines(traceOf(id)).map((l) => [l.action, l.ok])).toEqual([['push', true], ['pull_request', false]]);
    expect(traceOf(id).at(-1)).toMatchObject({ type: 'warning', message: expect.stringMatching(/^publishing failed/) });
    expect(gh.pulls.filter((p) => p.head === 'patchloop/issue-9')).toEqual([]);

    // A retry (a worker taking the ended job again) opens the pull request and comments, without a second push.
    await executeJob(await executorConfig(opts), job, undefined, { control: { stopRequested: false, signal: new AbortController().signal } });
    expect(publishLines(traceOf(id)).map((l) => [l.action, l.ok])).toEqual([['push', true], ['pull_request', false], ['pull_request', true], ['comment', true]]);
    expect(gh.pulls.filter((p) => p.head === 'patchloop/issue-9')).toHaveLength(1);
    expect(gh.comments.filter((c) => c.issue === 9)).toHaveLength(1);
  });
});
