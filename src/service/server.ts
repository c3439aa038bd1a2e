/**
 * Puts the service together: the state folder (`service.sqlite` with jobs and keys, `runs/`,
 * `ledgers/`), the sandbox, the metrics, the API, and the workers — N in-process workers (embedded
 * deployment) or none when `--redis` hands jobs to `patchloop worker` processes through BullMQ.
 */
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { UsageError } from '../errors.ts';
import { createSandbox } from '../sandbox/create.ts';
import { buildProvider, type ProviderFlags } from '../cli/providers.ts';
import { buildApi, type Dispatcher } from './api.ts';
import { providerFor, type ExecutorConfig } from './executor.ts';
import { JobStore, openServiceDb } from './job-store.ts';
import { KeyStore } from './keys.ts';
import { ServiceMetrics } from './metrics.ts';
import { TrajectoryStreams } from './sse.ts';
import { WorkerPool } from './workers.ts';
import { DeliveryLog } from './github-webhook.ts';
import { createRedisDispatch } from './redis-queue.ts';
import { RepoCache } from './repo-cache.ts';
import { normaliseHostPort } from './repo-url.ts';

export interface ServeOptions {
  /** TCP port (0 = a free one). */
  port: number;
  host: string;
  /** In-process workers (embedded deployment; ignored with `redis`). */
  workers: number;
  reposRoot: string;
  stateDir: string;
  provider: ProviderFlags;
  allowedProviders?: string[];
  sandbox: 'auto' | 'bwrap' | 'process';
  validate: boolean;
  env: Record<string, string | undefined>;
  /** Token cap of a run that names none. */
  budgetTokens?: number;
  /** Secret of the GitHub webhook (enables `POST /v1/github/webhook`). */
  githubWebhookSecret?: string;
  /** GitHub REST root of webhook jobs (`--github-api-url`: GitHub Enterprise, or a test server). */
  githubApiUrl?: string;
  /** Hosts (`host` / `host:port`) whose plain `http://` URLs `repo.url` may name (`--git-allow-http`). */
  gitAllowHttp?: string[];
  /** Wall-clock limit of one clone or fetch of a `repo.url`, ms (default 10 min). */
  gitTimeoutMs?: number;
  /** BullMQ connection URL (`redis://host:port`): jobs go to `patchloop worker` processes. */
  redis?: string;
  logger?: boolean;
  warn?: (line: string) => void;
}

export interface RunningService {
  url: string;
  app: FastifyInstance;
  store: JobStore;
  keys: KeyStore;
  streams: TrajectoryStreams;
  /** Ids of jobs a dead process left running, put back in the queue at start. */
  requeued: string[];
  /** Graceful stop: no new job; running ones stop at the next step boundary and stay queued. */
  close(): Promise<void>;
}

/** Opens the state folder's database (creating the folder). @throws UsageError naming `--state`. */
export function openState(stateDir: string): { store: JobStore; keys: KeyStore; deliveries: DeliveryLog; close: () => void } {
  try {
    mkdirSync(path.join(stateDir, 'runs'), { recursive: true });
    const db = openServiceDb(path.join(stateDir, 'service.sqlite'));
    return { store: new JobStore(db), keys: new KeyStore(db), deliveries: new DeliveryLog(db), close: () => db.close() };
  } catch (err) {
    throw new UsageError('bad_state_dir', `--state ${stateDir}: cannot open the service state there (${(err as Error).message}); pass a writable folder`, err);
  }
}

/** Builds the executor config shared by the embedded pool and `patchloop worker`. */
export async function executorConfig(o: Pick<ServeOptions, 'reposRoot' | 'stateDir' | 'provider' | 'allowedProviders' | 'sandbox' | 'validate' | 'env' | 'budgetTokens' | 'githubApiUrl' | 'warn' | 'gitAllowHttp' | 'gitTimeoutMs'>): Promise<ExecutorConfig> {
  let reposRoot: string;
  try {
    if (!statSync(o.reposRoot).isDirectory()) throw new Error('not a directory');
    reposRoot = realpathSync(o.reposRoot);
  } catch {
    throw new UsageError('bad_repos_root', `--repos-root ${o.reposRoot}: no such folder; pass the folder that holds the repositories runs may use`);
  }
  // Fail at start, not on the first job, when the provider cannot be built (no API key, no transcript).
  await buildProvider(o.provider, o.env);
  const sandbox = await createSandbox({ backend: o.sandbox, warn: o.warn ?? (() => {}) });
  const stateDir = path.resolve(o.stateDir);
  let gitAllowHttp: string[];
  try {
    gitAllowHttp = (o.gitAllowHttp ?? []).map(normaliseHostPort);
  } catch (err) {
    throw new UsageError('bad_allow_http', (err as Error).message);
  }
  return {
    gitAllowHttp, repoCache: new RepoCache({ stateDir, sandbox, ...(o.gitTimeoutMs ? { timeoutMs: o.gitTimeoutMs } : {}) }),
    stateDir, reposRoot, provider: o.provider, allowedProviders: o.allowedProviders ?? [], sandbox, validate: o.validate, env: o.env,
    defaultBudgetTokens: o.budgetTokens ?? 200_000, ...(o.githubApiUrl ? { githubApiUrl: o.githubApiUrl } : {}),
  };
}

/** Starts `patchloop serve`. */
export async function startService(o: ServeOptions): Promise<RunningService> {
  const cfg = await executorConfig(o);
  const state = openState(cfg.stateDir);
  const streams = new TrajectoryStreams();
  let pool: WorkerPool | undefined;
  let dispatch: Dispatcher;
  let metrics: ServiceMetrics;
  let closeQueue = async () => {};
  if (o.redis) {
    let m: ServiceMetrics | undefined;
    const redis = await createRedisDispatch({ url: o.redis, store: state.store, providerOf: (r) => providerFor(cfg, r), onOutcome: (r) => m?.observeOutcome(r.status, r.summary) });
    dispatch = redis.dispatch;
    closeQueue = redis.close;
    metrics = m = new ServiceMetrics(redis.queueStats);
  } else {
    metrics = new ServiceMetrics(() => state.store.queueStats());
    pool = new WorkerPool({ store: state.store, keys: state.keys, cfg, workers: o.workers, onTrace: (l) => metrics.observe(l), onError: () => metrics.observeError() });
    const p = pool;
    dispatch = { enqueue: async () => p.wake(), cancel: async () => {} };
  }
  const app = buildApi({
    store: state.store, keys: state.keys, cfg, metrics, streams, dispatch, logger: o.logger,
    ...(o.githubWebhookSecret ? { github: { secret: o.githubWebhookSecret, deliveries: state.deliveries } } : {}),
  });
  const requeued = pool ? pool.start() : [];
  await app.listen({ port: o.port, host: o.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`, app, store: state.store, keys: state.keys, streams, requeued,
    close: () =>
      (closing ??= (async () => {
        await pool?.stop();
        streams.close();
        await app.close();
        await closeQueue();
        state.close();
      })()),
  };
}
