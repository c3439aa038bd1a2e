/**
 * The Redis deployment, server side: submitted jobs go on a BullMQ queue that `patchloop worker`
 * processes drain; the server keeps its job table (SQLite) up to date from BullMQ's queue events,
 * and reconciles it with BullMQ at start-up (so a server restart misses no completion). BullMQ owns
 * delivery: a worker that dies mid-run loses its lock and BullMQ hands the job to another worker,
 * which resumes the run from its snapshot. Cancel travels as a Redis key the worker polls.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { UsageError } from '../errors.ts';
import type { RunSummary } from '../run/run-task.ts';
import type { Dispatcher } from './api.ts';
import type { JobRecord, JobStatus, JobStore } from './job-store.ts';
import type { ApiKey } from './keys.ts';
import type { RunRequest } from './run-request.ts';
import type { ProviderFlags } from '../cli/providers.ts';

/** Name of the BullMQ queue (one per Redis database). */
export const QUEUE_NAME = 'patchloop-runs';
/** Finished BullMQ jobs are kept this long (s) so a restarted server can still read their result. */
export const KEEP_FINISHED_S = 7 * 86_400;
/** Redis key a worker polls to learn that its run was cancelled. */
export const cancelKey = (runId: string) => `patchloop:cancel:${runId}`;

/** What a BullMQ job carries: everything a worker on another host needs (no secrets). */
export interface QueuedRun {
  id: string;
  keyId: string;
  dailyUsd?: number;
  request: RunRequest;
  /** Provider flags the server resolved for the run (no secrets: workers take keys from their env). */
  provider: ProviderFlags;
}

/** What a worker returns for a job. */
export interface RunOutcome {
  status: JobStatus;
  summary?: RunSummary;
  error?: string;
}

/** BullMQ job id of a run's `n`-th submission (a resumed run is a new BullMQ job). */
export const bullJobId = (runId: string, stamp: number) => `${runId}--${stamp.toString(36)}`;
export const runIdOf = (bullId: string) => bullId.split('--')[0]!;

/** Opens an ioredis connection as BullMQ needs it. @throws UsageError naming `--redis` on a bad URL. */
export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new UsageError('bad_redis_url', `--redis ${url}: expected redis://host:port (or rediss:// for TLS)`);
  const conn = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  conn.on('error', () => {}); // ioredis reconnects on its own; BullMQ redelivers what a lost connection dropped
  return conn;
}

/** Reads a worker's outcome from BullMQ's return value (a JSON string in events, an object on the job). */
function parseOutcome(v: unknown): RunOutcome | undefined {
  const o = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return o && typeof o === 'object' && typeof (o as RunOutcome).status === 'string' ? (o as RunOutcome) : undefined;
}

export interface RedisDispatch {
  dispatch: Dispatcher;
  queueStats: () => Promise<{ depth: number; oldestAgeMs: number; running: number }>;
  close: () => Promise<void>;
}

/** `providerOf` turns a request into the provider flags the worker must use (see executor.ts `providerFor`). */
export async function createRedisDispatch(o: { url: string; store: JobStore; providerOf: (r: RunRequest) => ProviderFlags; onOutcome?: (o: RunOutcome) => void }): Promise<RedisDispatch> {
  const connection = redisConnection(o.url);
  const events = new QueueEvents(QUEUE_NAME, { connection: redisConnection(o.url) });
  const queue = new Queue<QueuedRun, RunOutcome>(QUEUE_NAME, { connection });
  const apply = (bullId: string, outcome: RunOutcome | undefined, failedReason?: string) => {
    const result = outcome ?? { status: 'error' as const, error: failedReason ?? 'the worker returned nothing' };
    if (o.store.finish(runIdOf(bullId), bullId, result.status, result)) o.onOutcome?.(result);
  };
  events.on('active', ({ jobId }) => o.store.markRunning(runIdOf(jobId), jobId));
  events.on('completed', ({ jobId, returnvalue }) => apply(jobId, parseOutcome(returnvalue)));
  events.on('failed', ({ jobId, failedReason }) => apply(jobId, undefined, failedReason));
  events.on('error', () => {});
  queue.on('error', () => {});
  await events.waitUntilReady();

  // Start-up reconciliation: completions that happened while the server was down, and any job
  // the queue does not know (it is submitted again; the worker resumes it if it had started).
  for (const job of o.store.list({ limit: 100_000 }).filter((j) => j.status === 'queued' || j.status === 'running')) {
    const bull = job.owner ? await queue.getJob(job.owner) : undefined;
    if (!bull) {
      await enqueue(job);
      continue;
    }
    const state = await bull.getState();
    if (state === 'completed') apply(bull.id!, parseOutcome(bull.returnvalue));
    else if (state === 'failed') apply(bull.id!, undefined, bull.failedReason);
  }

  async function enqueue(job: JobRecord, key?: ApiKey): Promise<void> {
    const id = bullJobId(job.id, Date.now());
    o.store.setOwner(job.id, id);
    const data: QueuedRun = { id: job.id, keyId: job.keyId, request: job.request, provider: o.providerOf(job.request), ...(key?.dailyUsd !== undefined ? { dailyUsd: key.dailyUsd } : {}) };
    await connection.del(cancelKey(job.id));
    await queue.add('run', data, { jobId: id, removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } });
  }

  return {
    dispatch: {
      enqueue,
      cancel: async (job) => void (await connection.set(cancelKey(job.id), '1', 'EX', 86_400)),
    },
    queueStats: async () => {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      const waiting = (await queue.getJobs(['wait', 'prioritized', 'delayed'], 0, 999)) as Job[];
      const oldest = waiting.reduce((m, j) => Math.min(m, j.timestamp), Infinity);
      return { depth: (counts['wait'] ?? 0) + (counts['delayed'] ?? 0) + (counts['prioritized'] ?? 0), running: counts['active'] ?? 0, oldestAgeMs: Number.isFinite(oldest) ? Math.max(0, Date.now() - oldest) : 0 };
    },
    close: async () => {
      await events.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
