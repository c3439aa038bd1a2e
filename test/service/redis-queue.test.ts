/**
 * The Redis deployment against a real Redis: `serve --redis` queues on BullMQ and a worker takes the
 * runs; a cancel reaches the worker; a Redis killed with runs queued (AOF on) loses none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { startRedisWorker } from '../../src/service/redis-worker.ts';
import { startTestService, waitForFirstReply, waitForRun, type TestService } from './support.ts';
import { startRedis, type TestRedis } from './redis-support.ts';

const ended = (r: { status: string }) => r.status !== 'queued' && r.status !== 'running';

describe('serve --redis with patchloop workers (BullMQ)', { timeout: 240_000 }, () => {
  let redis: TestRedis;
  let t: TestService;
  const workers: { close: () => Promise<void>; metricsUrl?: string }[] = [];
  const startWorker = async () => {
    const w = await startRedisWorker({ redis: redis.url, concurrency: 2, reposRoot: t.reposRoot, stateDir: t.stateDir, provider: { provider: 'replay', transcript: path.join(t.inst.dir, 'transcript.jsonl') }, sandbox: 'auto', validate: false, env: {}, lockMs: 5000, metricsPort: 0 });
    workers.push(w);
    return w;
  };
  beforeAll(async () => {
    redis = await startRedis();
    t = await startTestService({ redis: redis.url });
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await t?.close();
    await redis?.stop();
  });

  it('a Redis killed with runs queued loses none: each runs once after it comes back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await t.api('/v1/runs', { body: t.body() })).json()) as { id: string }).id);
    const depth = await (await fetch(`${t.svc.url}/metrics`)).text();
    expect(depth).toMatch(/^patchloop_queue_depth 3$/m);
    await redis.kill();
    await redis.start();
    await startWorker();
    for (const id of ids) expect((await waitForRun(t, id, ended, 120_000)).status).toBe('resolved');
    for (const id of ids) {
      const trace = readTrajectory(path.join(runDirOf(t.stateDir, id), 'trajectory.jsonl'));
      expect(trace.filter((e) => e.type === 'run_start').length).toBe(1);
      expect(trace.filter((e) => e.type === 'run_end').length).toBe(1);
      expect(trace.filter((e) => e.type === 'commit').length).toBe(1);
    }
    expect(t.svc.store.list({ limit: 10 }).map((j) => j.attempts)).toEqual([1, 1, 1]);
  });

  it('?wait answers through the queue, and a cancel reaches the worker (then resume finishes it)', async () => {
    const res = await t.api('/v1/runs?wait=120', { body: t.body() });
    expect(((await res.json()) as { status: string }).status).toBe('resolved');

    const { id } = (await (await t.api('/v1/runs', { body: t.body() })).json()) as { id: string };
    const tracePath = path.join(runDirOf(t.stateDir, id), 'trajectory.jsonl');
    await waitForFirstReply(t, id);
    expect((await t.api(`/v1/runs/${id}/cancel`, { method: 'POST' })).status).toBe(202);
    expect((await waitForRun(t, id, ended)).status).toBe('interrupted');
    expect((await t.api(`/v1/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
    expect((await waitForRun(t, id, ended)).status).toBe('resolved');
    const trace = readTrajectory(tracePath);
    expect(trace.filter((e) => e.type === 'model_call').length).toBe(trace.filter((e) => e.type === 'model_call').map((e) => (e.type === 'model_call' ? e.step : -1)).filter((s, i, a) => a.indexOf(s) === i).length);
    expect(trace.filter((e) => e.type === 'commit').length).toBe(1);
    const metrics = await (await fetch(`${t.svc.url}/metrics`)).text();
    expect(metrics).toMatch(/^patchloop_runs_total\{status="resolved"\} 5$/m);
    // The worker counts the steps it ran.
    const own = await (await fetch(workers[0]!.metricsUrl!)).text();
    expect(Number(/^patchloop_step_duration_seconds_count\{kind="test_run"\} (\d+)$/m.exec(own)?.[1])).toBeGreaterThanOrEqual(5);
  });
});
