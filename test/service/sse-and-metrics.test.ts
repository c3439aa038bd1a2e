/**
 * Live progress and metrics: a client that drops its SSE connection mid-run and reconnects with
 * Last-Event-ID gets every trace line exactly once and in order; /metrics reports the run's
 * tokens and status as its trajectory recorded them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { METRIC_NAMES } from '../../src/service/metrics.ts';
import { readSse, startTestService, type SseEvent, type TestService } from './support.ts';

describe('SSE events and /metrics', { timeout: 240_000 }, () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ workers: 1 });
  });
  afterAll(() => t?.close());

  it('a client that reconnects with Last-Event-ID gets every event once, in order', async () => {
    const { id } = (await (await t.api('/v1/runs', { body: t.body() })).json()) as { id: string };
    const events = `/v1/runs/${id}/events`;
    const first = await t.api(events);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const got: SseEvent[] = await readSse(first, 3); // then the connection drops
    while (got.at(-1)?.event !== 'run_end') {
      const res = await t.api(events, { headers: { 'last-event-id': String(got.at(-1)!.id) } });
      got.push(...(await readSse(res, 3 + got.length % 2)));
    }
    const trace = readTrajectory(path.join(runDirOf(t.stateDir, id), 'trajectory.jsonl'));
    expect(got.map((e) => e.id)).toEqual(trace.map((l) => l.seq));
    expect(got.map((e) => e.data)).toEqual(trace);
    expect(got.map((e) => e.event)).toEqual(trace.map((l) => l.type));
    // A reconnect after the end replays nothing and closes.
    const late = await readSse(await t.api(events, { headers: { 'last-event-id': String(got.at(-1)!.id) } }));
    expect(late).toEqual([]);
  });

  it('a trace it cannot read ends the stream with an error event naming the line', async () => {
    const job = t.svc.store.insert('r-unreadable-trace', t.keyId, t.body() as never);
    t.svc.store.requestCancel(job.id); // ended: no worker takes it
    mkdirSync(runDirOf(t.stateDir, job.id), { recursive: true });
    writeFileSync(path.join(runDirOf(t.stateDir, job.id), 'trajectory.jsonl'), '{"v":99,"seq":0,"ts":"x","type":"state"}\n');
    const events = await readSse(await t.api(`/v1/runs/${job.id}/events`));
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(String(events[0]!.data['message'])).toMatch(/trajectory\.jsonl:1: trace format v99/);
  });

  it('/metrics has the whole metric set, and its token counts equal the trajectories', async () => {
    const res = await t.api('/v1/runs?wait=120', { body: t.body() });
    expect(((await res.json()) as { status: string }).status).toBe('resolved');
    const text = await (await fetch(`${t.svc.url}/metrics`)).text();
    for (const name of METRIC_NAMES) expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    const runs = t.svc.store.list({ limit: 10 }).filter((j) => j.summary);
    const lines = runs.flatMap((j) => readTrajectory(path.join(runDirOf(t.stateDir, j.id), 'trajectory.jsonl')));
    const sum = (k: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens') => lines.reduce((n, l) => n + (l.type === 'model_call' ? l.usage[k] : 0), 0);
    expect(value('patchloop_tokens_total{kind="output"}')).toBe(sum('outputTokens'));
    expect(value('patchloop_tokens_total{kind="cache_read"}')).toBe(sum('cacheReadTokens'));
    expect(value('patchloop_runs_total{status="resolved"}')).toBe(runs.filter((j) => j.status === 'resolved').length);
    expect(value('patchloop_step_duration_seconds_count{kind="model_call"}')).toBe(lines.filter((l) => l.type === 'model_call').length);
    expect(value('patchloop_resolved_rate')).toBe(1);
    expect(value('patchloop_queue_depth')).toBe(0);
  });
});
