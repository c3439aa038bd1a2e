/**
 * `npm run bench:service`: does watching runs slow them? An embedded `patchloop serve` (2 workers,
 * replay provider, bwrap sandbox) runs the same batch of runs twice: once with no SSE client, once
 * with 50 SSE clients connected (spread over the runs from submission to the end), in ABBA order.
 * Reports each batch's wall time, runs per minute and the mean run time (from the summaries) for both.
 * Usage: npm run bench:service [-- <runs per batch, default 10>]
 */
import { rmSync } from 'node:fs';
import { prepareService, readSse, serviceOptions } from '../service/support.ts';
import { startService } from '../../src/service/server.ts';

const RUNS = Number(process.argv[2] ?? 10);
const CLIENTS = 50;

async function batch(clients: number): Promise<{ wallS: number; runsPerMin: number; meanRunS: number; eventsRead: number }> {
  const p = await prepareService();
  const svc = await startService(serviceOptions(p, { workers: 2 }));
  const { token } = svc.keys.create('bench', { concurrency: 1000 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const t0 = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const res = await fetch(`${svc.url}/v1/runs`, { method: 'POST', headers, body: JSON.stringify({ repo: { path: p.repoRel }, task: p.inst.task.prompt, testCmd: p.inst.task.test_cmd }) });
    ids.push(((await res.json()) as { id: string }).id);
  }
  const watchers = Array.from({ length: clients }, (_, i) => fetch(`${svc.url}/v1/runs/${ids[i % ids.length]}/events`, { headers }).then((r) => readSse(r)));
  const ended = (s: string) => s !== 'queued' && s !== 'running';
  while (!ids.every((id) => ended(svc.store.get(id)!.status))) await new Promise((r) => setTimeout(r, 200));
  const wallS = (Date.now() - t0) / 1000;
  const eventsRead = (await Promise.all(watchers)).reduce((n, e) => n + e.length, 0);
  const jobs = ids.map((id) => svc.store.get(id)!);
  if (jobs.some((j) => j.status !== 'resolved')) throw new Error(`not all resolved: ${jobs.map((j) => j.status).join(',')}`);
  const meanRunS = jobs.reduce((n, j) => n + j.summary!.wallMs, 0) / jobs.length / 1000;
  await svc.close();
  rmSync(p.dir, { recursive: true, force: true });
  return { wallS: +wallS.toFixed(1), runsPerMin: +(RUNS / (wallS / 60)).toFixed(1), meanRunS: +meanRunS.toFixed(2), eventsRead };
}

// ABBA order, so a load change on the (shared) machine weighs on both sides alike.
const quiet = [await batch(0)];
const watched = [await batch(CLIENTS), await batch(CLIENTS)];
quiet.push(await batch(0));
const total = (b: { wallS: number }[]) => b.reduce((n, x) => n + x.wallS, 0);
console.log(JSON.stringify({ runs: RUNS, workers: 2, without: quiet, with50Clients: watched, slowdown: +((total(watched) / total(quiet) - 1) * 100).toFixed(1) + '%' }, null, 2));
