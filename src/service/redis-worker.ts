/**
 * `patchloop worker --redis URL`: takes runs from the BullMQ queue of `patchloop serve --redis` and
 * runs them with the same executor as the embedded workers. It must see the server's `--repos-root`
 * and `--state` at the same paths (same host, or shared storage): the run folder (trace, snapshot)
 * is how another worker resumes a run whose worker died, and how the server streams it.
 *
 * A worker killed mid-run stops renewing its BullMQ lock; after `lockMs` BullMQ gives the job to
 * another worker, whose executor finds the run folder and resumes from the snapshot. SIGTERM stops
 * taking jobs and moves running ones back to the queue at their next step boundary.
 */
import { Queue, Worker, WaitingError, type Job } from 'bullmq';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceMetrics } from './metrics.ts';
import { describeError } from '../errors.ts';
import type { RunControl } from '../run/run-task.ts';
import type { TraceLine } from '../trace/trajectory.ts';
import { executeJob } from './executor.ts';
import { cancelKey, QUEUE_NAME, redisConnection, type QueuedRun, type RunOutcome } from './redis-queue.ts';
import { executorConfig, type ServeOptions } from './server.ts';

/** BullMQ lock of a running job, ms: a dead worker's job goes to another worker after about this long. */
export const DEFAULT_LOCK_MS = 30_000;
/** How often a running job looks for a cancel request, ms. */
export const CANCEL_POLL_MS = 300;

export interface RedisWorkerOptions extends Omit<ServeOptions, 'port' | 'host' | 'workers' | 'redis'> {
  redis: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** BullMQ lock duration, ms (default `DEFAULT_LOCK_MS`). */
  lockMs?: number;
  onTrace?: (line: TraceLine) => void;
  /** Serve this worker's step, validation and provider metrics on `GET /metrics` at this port (0 = any free one). */
  metricsPort?: number;
}

export async function startRedisWorker(o: RedisWorkerOptions): Promise<{ close: () => Promise<void>; metricsUrl?: string }> {
  const cfg = await executorConfig(o);
  const connection = redisConnection(o.redis);
  const queue = new Queue(QUEUE_NAME, { connection: redisConnection(o.redis) });
  queue.on('error', () => {});
  const metrics = new ServiceMetrics(async () => {
    const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return { depth: (c['wait'] ?? 0) + (c['delayed'] ?? 0) + (c['prioritized'] ?? 0), running: c['active'] ?? 0, oldestAgeMs: 0 };
  });
  const onTrace = (line: TraceLine) => (metrics.observe(line), o.onTrace?.(line));
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (o.metricsPort !== undefined) {
    const srv = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      metrics.text().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text), () => res.writeHead(500).end());
    });
    metricsServer = srv;
    await new Promise<void>((r) => srv.listen(o.metricsPort, '127.0.0.1', r));
    metricsUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/metrics`;
  }
  let draining = false;
  const lockMs = o.lockMs ?? DEFAULT_LOCK_MS;

  const processor = async (job: Job<QueuedRun, RunOutcome>, token?: string): Promise<RunOutcome> => {
    const run = job.data;
    if (await connection.get(cancelKey(run.id))) return { status: 'interrupted', error: 'cancelled before it started' };
    let cancelled = false;
    const poll = setInterval(() => {
      connection.get(cancelKey(run.id)).then((v) => (cancelled ||= v !== null), () => {});
    }, CANCEL_POLL_MS);
    const control: RunControl = {
      get stopRequested() {
        return cancelled || draining;
      },
      signal: new AbortController().signal,
    };
    try {
      const record = { id: run.id, keyId: run.keyId, status: 'running' as const, request: run.request, attempts: job.attemptsStarted, cancelRequested: false, createdAt: job.timestamp };
      const summary = await executeJob(cfg, record, { id: run.keyId, ...(run.dailyUsd !== undefined ? { dailyUsd: run.dailyUsd } : {}) }, { control, onTrace, provider: run.provider });
      if (summary.status === 'interrupted' && draining && !cancelled) {
        await job.moveToWait(token); // shutdown, not a cancel: another worker resumes it
        throw new WaitingError();
      }
      return { status: summary.status, summary };
    } catch (err) {
      if (err instanceof WaitingError) throw err;
      return { status: 'error', error: describeError(err) };
    } finally {
      clearInterval(poll);
    }
  };

  const worker = new Worker<QueuedRun, RunOutcome>(QUEUE_NAME, processor, {
    connection: redisConnection(o.redis), concurrency: o.concurrency, lockDuration: lockMs, stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
    maxStalledCount: 5, // a run whose workers keep dying is given up after 5 redeliveries
  });
  worker.on('error', () => {}); // connection blips are retried by ioredis; a lost job is redelivered by BullMQ
  await worker.waitUntilReady();
  return {
    ...(metricsUrl ? { metricsUrl } : {}),
    close: async () => {
      draining = true;
      await worker.close(); // waits for running jobs, which stop at their next step boundary
      await queue.close();
      metricsServer?.close();
      connection.disconnect();
    },
  };
}
