/**
 * The Redis deployment with real `patchloop worker` processes: a worker killed with SIGKILL in the
 * middle of a run leaves it to another worker, which resumes it from the snapshot (each model reply
 * and the commit once); 100 queued runs on 3 workers each end once, none twice, none lost.
 * Slow (minutes on 2 cores): run with `npx vitest run test/e2e/service-workers.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PATCHLOOP_BIN, REPO_ROOT } from '../support/cli.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { startService, type RunningService } from '../../src/service/server.ts';
import { prepareService, serviceOptions } from '../service/support.ts';
import { startRedis, type TestRedis } from '../service/redis-support.ts';

const OUT = path.join(REPO_ROOT, 'test-output', 'service');
const ended = (s: string) => s !== 'queued' && s !== 'running';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('patchloop worker processes on BullMQ', () => {
  let redis: TestRedis;
  let svc: RunningService;
  let p: Awaited<ReturnType<typeof prepareService>>;
  let token: string;
  const procs = new Set<ChildProcess>();

  const startWorker = (): ChildProcess => {
    const child = spawn(process.execPath, [PATCHLOOP_BIN, 'worker', '--redis', redis.url, '--repos-root', p.reposRoot, '--state', p.stateDir, '--provider', 'replay', '--transcript', path.join(p.inst.dir, 'transcript.jsonl'), '--no-validate', '--lock-ms', '3000'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code, sig) => {
      procs.delete(child);
      if (code && code !== 0) console.error(`worker exited ${code} ${sig}: ${err.slice(-800)}`);
    });
    procs.add(child);
    return child;
  };
  const submit = async (): Promise<string> => {
    const res = await fetch(`${svc.url}/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ repo: { path: p.repoRel }, task: p.inst.task.prompt, testCmd: p.inst.task.test_cmd }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const traceOf = (id: string) => readTrajectory(path.join(runDirOf(p.stateDir, id), 'trajectory.jsonl'));

  beforeAll(async () => {
    redis = await startRedis();
    p = await prepareService();
    svc = await startService(serviceOptions(p, { redis: redis.url }));
    token = svc.keys.create('load', { concurrency: 1000 }).token;
  }, 120_000);
  afterAll(async () => {
    for (const c of [...procs]) c.kill('SIGKILL');
    await svc?.close();
    await redis?.stop();
    if (p) rmSync(p.dir, { recursive: true, force: true });
  });

  it('a worker killed with SIGKILL mid-run: another worker resumes it; each model reply and the commit once', async () => {
    const a = startWorker();
    const id = await submit();
    for (;;) {
      let trace: ReturnType<typeof traceOf> = [];
      try {
        trace = traceOf(id);
      } catch {}
      if (trace.filter((e) => e.type === 'model_call').length >= 2) break;
      if (trace.some((e) => e.type === 'run_end')) throw new Error('the run ended before the worker could be killed');
      await sleep(20);
    }
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    expect(svc.store.get(id)!.status).toBe('running'); // the server does not know yet: BullMQ's lock says so later
    startWorker();
    let job = svc.store.get(id)!;
    while (!ended(job.status)) (await sleep(200), (job = svc.store.get(id)!));
    expect(job.status).toBe('resolved');
    expect(job.attempts).toBe(2);
    const trace = traceOf(id);
    const steps = trace.flatMap((e) => (e.type === 'model_call' ? [e.step] : []));
    expect(steps).toEqual([...new Set(steps)]); // no reply paid twice
    expect(steps.length).toBe(job.summary!.steps);
    expect(trace.filter((e) => e.type === 'commit').length).toBe(1);
    expect(trace.some((e) => e.type === 'resume')).toBe(true);
    const repo = path.join(p.reposRoot, p.repoRel);
    const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    expect(execFileSync('git', ['rev-list', '--count', `${base}..${job.summary!.branch}`], { cwd: repo, encoding: 'utf8' }).trim()).toBe('1');
  }, 300_000);

  it('100 queued runs on 3 workers: every run ends once, none twice, none lost', async () => {
    while (procs.size < 3) startWorker();
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await submit());
    let jobs = ids.map((id) => svc.store.get(id)!);
    while (!jobs.every((j) => ended(j.status))) {
      await sleep(500);
      jobs = ids.map((id) => svc.store.get(id)!);
    }
    const minutes = (Date.now() - t0) / 60_000;
    expect(jobs.filter((j) => j.status !== 'resolved').map((j) => `${j.id}: ${j.status} ${j.error ?? j.summary?.reason ?? ''}`)).toEqual([]);
    expect(jobs.map((j) => j.attempts)).toEqual(ids.map(() => 1));
    for (const id of ids) {
      const trace = traceOf(id);
      expect(trace.filter((e) => e.type === 'run_start').length, id).toBe(1);
      expect(trace.filter((e) => e.type === 'run_end').length, id).toBe(1);
      expect(trace.filter((e) => e.type === 'commit').length, id).toBe(1);
    }
    mkdirSync(OUT, { recursive: true });
    const figure = { runs: 100, workers: 3, minutes: Number(minutes.toFixed(2)), runsPerMinute: Number((100 / minutes).toFixed(1)), cores: (await import('node:os')).cpus().length };
    writeFileSync(path.join(OUT, 'throughput.json'), JSON.stringify(figure, null, 2) + '\n');
    console.log(`service throughput: ${JSON.stringify(figure)}`);
  }, 1_800_000);
});
