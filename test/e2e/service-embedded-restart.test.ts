/**
 * The embedded deployment survives its own process: `patchloop serve` killed with SIGKILL mid-run
 * resumes the run on restart (each model reply and the commit once); SIGTERM stops taking jobs,
 * checkpoints the running one at the next step boundary, exits 0, and the run resumes on restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { PATCHLOOP_BIN } from '../support/cli.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { openState } from '../../src/service/server.ts';
import { prepareService } from '../service/support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('patchloop serve (embedded) across restarts', () => {
  let p: Awaited<ReturnType<typeof prepareService>>;
  let token: string;
  let server: { child: ChildProcess; url: string } | undefined;

  const start = () =>
    new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [PATCHLOOP_BIN, 'serve', '--port', '0', '--workers', '1', '--repos-root', p.reposRoot, '--state', p.stateDir, '--provider', 'replay', '--transcript', path.join(p.inst.dir, 'transcript.jsonl'), '--no-validate'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d) => {
        err += d;
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m) resolve({ child, url: m[1]! });
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  const api = async (rel: string, body?: unknown) => {
    const res = await fetch(`${server!.url}${rel}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as { id: string; status: string; attempts: number; steps: number; branch: string };
  };
  const traceOf = (id: string) => readTrajectory(path.join(runDirOf(p.stateDir, id), 'trajectory.jsonl'));
  const untilReplies = async (id: string, n: number) => {
    for (;;) {
      let t: ReturnType<typeof traceOf> = [];
      try {
        t = traceOf(id);
      } catch {}
      if (t.filter((e) => e.type === 'model_call').length >= n) return;
      if (t.some((e) => e.type === 'run_end')) throw new Error('the run ended too early');
      await sleep(20);
    }
  };
  const untilEnded = async (id: string) => {
    for (;;) {
      const r = await api(`/v1/runs/${id}`);
      if (r.status !== 'queued' && r.status !== 'running') return r;
      await sleep(200);
    }
  };
  const checkOnce = (id: string, steps: number) => {
    const trace = traceOf(id);
    const replies = trace.flatMap((e) => (e.type === 'model_call' ? [e.step] : []));
    expect(replies).toEqual([...new Set(replies)]);
    expect(replies.length).toBe(steps);
    expect(trace.filter((e) => e.type === 'commit').length).toBe(1);
    expect(trace.some((e) => e.type === 'resume')).toBe(true);
  };

  beforeAll(async () => {
    p = await prepareService();
    const s = openState(p.stateDir);
    token = s.keys.create('restart').token;
    s.close();
  });
  afterAll(async () => {
    const child = server?.child;
    if (child && child.exitCode === null) await new Promise((r) => (child.once('exit', r), child.kill('SIGKILL')));
    if (p) rmSync(p.dir, { recursive: true, force: true });
  });

  it('SIGKILL mid-run: the restarted server resumes the run', async () => {
    server = await start();
    const { id } = await api('/v1/runs', { repo: { path: p.repoRel }, task: p.inst.task.prompt, testCmd: p.inst.task.test_cmd });
    await untilReplies(id, 2);
    server.child.kill('SIGKILL');
    await new Promise((r) => server!.child.once('exit', r));
    server = await start();
    const run = await untilEnded(id);
    expect(run.status).toBe('resolved');
    expect(run.attempts).toBe(2);
    checkOnce(id, run.steps);
  }, 300_000);

  it('SIGTERM: stops at the next step boundary, exits 0, the run stays queued and resumes on restart', async () => {
    const { id } = await api('/v1/runs', { repo: { path: p.repoRel }, task: p.inst.task.prompt, testCmd: p.inst.task.test_cmd });
    await untilReplies(id, 1);
    const exit = new Promise<number | null>((r) => server!.child.once('exit', (code) => r(code)));
    server!.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const s = openState(p.stateDir);
    expect(s.store.get(id)!.status).toBe('queued');
    s.close();
    expect(traceOf(id).some((e) => e.type === 'interrupted' && !e.hard)).toBe(true);
    server = await start();
    const run = await untilEnded(id);
    expect(run.status).toBe('resolved');
    checkOnce(id, run.steps);
  }, 300_000);
});
