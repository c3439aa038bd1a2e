/**
 * A run through the API, as a client drives it: submit and wait, read it, fetch its patch, list;
 * cancel a running run (it stops after the current step, resumable) and resume it: every model
 * reply appears once in its trajectory and the branch gets one commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { startTestService, waitForFirstReply, waitForRun, type TestService } from './support.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('runs through the API (embedded queue, replay provider)', { timeout: 240_000 }, () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ workers: 2 });
  });
  afterAll(() => t?.close());

  it('?wait answers with the ended run; GET, /patch and the list agree with git', async () => {
    const res = await t.api('/v1/runs?wait=120', { body: t.body() });
    expect(res.status).toBe(200);
    const run = (await res.json()) as { id: string; status: string; branch: string; commitSha: string; iterations: number; tokens: { output: number }; usd: number; links: { patch: string } };
    expect(run.status).toBe('resolved');
    expect(run.commitSha).toMatch(/^[0-9a-f]{40}$/);
    const repo = path.join(t.reposRoot, t.repoRel);
    expect(git(repo, 'rev-parse', run.branch).trim()).toBe(run.commitSha);

    const got = (await (await t.api(`/v1/runs/${run.id}`)).json()) as typeof run;
    expect(got).toEqual(run);
    const trace = readTrajectory(path.join(runDirOf(t.stateDir, run.id), 'trajectory.jsonl'));
    const outputTokens = trace.filter((e) => e.type === 'model_call').reduce((n, e) => n + (e.type === 'model_call' ? e.usage.outputTokens : 0), 0);
    expect(run.tokens.output).toBe(outputTokens);

    const patch = await t.api(run.links.patch);
    expect(patch.headers.get('content-type')).toMatch(/^text\/x-diff/);
    expect(await patch.text()).toBe(git(repo, 'diff', '--no-color', '--binary', `${run.branch}~1`, run.branch));

    const list = (await (await t.api('/v1/runs?status=resolved&limit=5')).json()) as { runs: { id: string }[] };
    expect(list.runs.map((r) => r.id)).toContain(run.id);
    const none = (await (await t.api('/v1/runs?status=queued')).json()) as { runs: unknown[] };
    expect(none.runs).toEqual([]);
  });

  it('without ?wait it answers 202 at once with a Location', async () => {
    const res = await t.api('/v1/runs', { body: t.body() });
    expect(res.status).toBe(202);
    const run = (await res.json()) as { id: string; status: string };
    expect(res.headers.get('location')).toBe(`/v1/runs/${run.id}`);
    expect(['queued', 'running']).toContain(run.status);
    expect((await waitForRun(t, run.id, (r) => r.status === 'resolved')).status).toBe('resolved');
  });

  it('cancel stops a running run after its current step; resume finishes it without repeating a reply or a commit', async () => {
    const { id } = (await (await t.api('/v1/runs', { body: t.body() })).json()) as { id: string };
    const tracePath = path.join(runDirOf(t.stateDir, id), 'trajectory.jsonl');
    // Cancel once the first model reply is on disk: the run is mid-way.
    await waitForFirstReply(t, id);
    const cancel = await t.api(`/v1/runs/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(202);
    const stopped = await waitForRun(t, id, (r) => r.status !== 'running' && r.status !== 'queued');
    expect(stopped.status).toBe('interrupted');
    expect((await t.api(`/v1/runs/${id}/patch`)).status).toBe(200); // the partial patch is readable
    const before = readTrajectory(tracePath);
    expect(before.some((e) => e.type === 'interrupted' && !e.hard)).toBe(true);
    expect(before.some((e) => e.type === 'commit')).toBe(false);

    expect((await t.api(`/v1/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
    const done = await waitForRun(t, id, (r) => r.status !== 'running' && r.status !== 'queued');
    expect(done.status).toBe('resolved');
    expect(done['attempts']).toBe(2);
    const after = readTrajectory(tracePath);
    expect(after.some((e) => e.type === 'resume')).toBe(true);
    // The transcript's replies, each recorded once across both sessions; one commit.
    const replies = after.filter((e) => e.type === 'model_call').length;
    const solo = (await (await t.api('/v1/runs?wait=120', { body: t.body() })).json()) as { steps: number };
    expect(replies).toBe(solo.steps);
    expect(after.filter((e) => e.type === 'commit').length).toBe(1);
    const repo = path.join(t.reposRoot, t.repoRel);
    expect(git(repo, 'rev-list', '--count', `${git(repo, 'rev-parse', 'HEAD').trim()}..${done['branch'] as string}`).trim()).toBe('1');
    // Cancelling an ended run is a conflict.
    expect((await t.api(`/v1/runs/${id}/cancel`, { method: 'POST' })).status).toBe(409);
  });
});
