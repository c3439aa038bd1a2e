/**
 * The HTTP API of `patchloop serve` (Fastify). Every route is schema-validated before its handler
 * runs; bodies are validated strictly (no coercion, unknown fields refused), query strings with
 * coercion. A request is authenticated by its bearer key, checked against the key's concurrency
 * and daily cap, and its repository resolved inside the repos root — all before anything is queued.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiKey, KeyStore } from './keys.ts';
import { isTerminal, type JobRecord, type JobStore } from './job-store.ts';
import { BODY_LIMIT_BYTES, idParamsSchema, listQuerySchema, runRequestSchema, waitQuerySchema, type RunRequest } from './run-request.ts';
import { toHttpError } from './http-errors.ts';
import { RequestError, resolveRepoPath } from './repo-path.ts';
import { checkKeyDailyCap, checkRepoRequest, newJobId, providerFor, runDirOf, type ExecutorConfig } from './executor.ts';
import { runView } from './run-view.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { TrajectoryStreams } from './sse.ts';
import { registerWebUi } from './web-ui.ts';
import { openApiDocument } from './openapi.ts';
import { GITHUB_KEY_ID, registerGitHubWebhook, type DeliveryLog } from './github-webhook.ts';

/** How a submitted job reaches a worker and how a cancel reaches it: embedded pool or BullMQ. */
export interface Dispatcher {
  enqueue(job: JobRecord, key: ApiKey): Promise<void>;
  /** Asks a running job to stop after its current step. */
  cancel(job: JobRecord): Promise<void>;
}

export interface ApiContext {
  store: JobStore;
  keys: KeyStore;
  cfg: ExecutorConfig;
  metrics: ServiceMetrics;
  streams: TrajectoryStreams;
  dispatch: Dispatcher;
  /** Fastify logger on/off (off in tests). */
  logger?: boolean;
  /** Enables `POST /v1/github/webhook` with this secret and delivery log. */
  github?: { secret: string; deliveries: DeliveryLog };
}

/** Version in the OpenAPI document (the package's). */
const SERVICE_VERSION = '0.1.0';

/** How often `?wait=` looks at the job, ms. */
const WAIT_POLL_MS = 100;

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

const strict = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false });
const loose = new Ajv({ allErrors: false, coerceTypes: true, removeAdditional: false, useDefaults: true, strict: false });

export function buildApi(ctx: ApiContext): FastifyInstance {
  const app = Fastify({ logger: ctx.logger ?? false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : loose).compile(schema));
  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) app.log.error(err);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => void reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }));

  const authenticate = async (req: FastifyRequest) => {
    const v = ctx.keys.verify(req.headers.authorization);
    if (!v.ok) {
      if (v.refusal === 'revoked') throw new RequestError('key_revoked', 403, 'this API key was revoked: ask for a new one (patchloop keys create)');
      const why = { missing: 'no Authorization header', malformed: 'the Authorization header is not "Bearer pl_<id>_<secret>"', unknown: 'unknown API key' }[v.refusal];
      throw new RequestError('unauthorized', 401, `${why}: send Authorization: Bearer <key> (patchloop keys create NAME prints one)`);
    }
    req.apiKey = v.key;
  };
  /** The job `id` of the caller's key, or a webhook job (those belong to the server: any key may watch, cancel and resume them). @throws RequestError 404 / 403. */
  const ownJob = (req: FastifyRequest, id: string): JobRecord => {
    const job = ctx.store.get(id);
    if (!job) throw new RequestError('unknown_run', 404, `no run ${id}`);
    if (job.keyId !== req.apiKey!.id && job.keyId !== GITHUB_KEY_ID) throw new RequestError('not_your_run', 403, `run ${id} was submitted with another API key`);
    return job;
  };

  app.get('/healthz', async () => ({ ok: true }));
  const openapi = openApiDocument(SERVICE_VERSION);
  app.get('/openapi.json', async () => openapi);
  app.get('/metrics', async (_req, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.text()));
  registerWebUi(app);
  if (ctx.github) {
    const webhookKey: ApiKey = { id: GITHUB_KEY_ID, name: GITHUB_KEY_ID, concurrency: Number.MAX_SAFE_INTEGER, revoked: false, createdAt: 0 };
    registerGitHubWebhook(app, {
      ...ctx.github,
      submit: async (request, claim) => {
        resolveRepoPath(ctx.cfg.reposRoot, request.github!.repo); // the repository must be checked out under the root
        const id = newJobId();
        if (!claim(id)) return null;
        await ctx.dispatch.enqueue(ctx.store.insert(id, GITHUB_KEY_ID, request), webhookKey);
        return id;
      },
    });
  }

  app.register(async (v1) => {
    v1.addHook('onRequest', authenticate);

    v1.post<{ Body: RunRequest; Querystring: { wait?: number } }>('/v1/runs', { schema: { body: runRequestSchema, querystring: waitQuerySchema } }, async (req, reply) => {
      const key = req.apiKey!;
      const body = req.body;
      checkRepoRequest(ctx.cfg, body.repo);
      providerFor(ctx.cfg, body);
      checkKeyDailyCap(ctx.cfg.stateDir, key);
      if (ctx.store.activeCount(key.id) >= key.concurrency) {
        throw new RequestError('concurrency_limit', 429, `key "${key.name}" has ${key.concurrency} runs queued or running (its limit): wait for one to end`);
      }
      const job = ctx.store.insert(newJobId(), key.id, body);
      await ctx.dispatch.enqueue(job, key);
      const waitMs = (req.query.wait ?? 0) * 1000;
      const deadline = Date.now() + waitMs;
      let current = job;
      while (waitMs > 0 && Date.now() < deadline && !isTerminal(current.status)) {
        await sleep(WAIT_POLL_MS);
        current = ctx.store.get(job.id) ?? current;
      }
      const view = runView(current, runDirOf(ctx.cfg.stateDir, job.id));
      return reply.status(isTerminal(current.status) ? 200 : 202).header('location', view.links.self).send(view);
    });

    v1.get<{ Querystring: { status?: string; limit: number } }>('/v1/runs', { schema: { querystring: listQuerySchema } }, async (req) => {
      const jobs = ctx.store.list({ keyId: ctx.github ? [req.apiKey!.id, GITHUB_KEY_ID] : req.apiKey!.id, limit: req.query.limit, ...(req.query.status ? { status: req.query.status } : {}) });
      return { runs: jobs.map((j) => runView(j, runDirOf(ctx.cfg.stateDir, j.id))) };
    });

    v1.get<{ Params: { id: string } }>('/v1/runs/:id', { schema: { params: idParamsSchema } }, async (req) => runView(ownJob(req, req.params.id), runDirOf(ctx.cfg.stateDir, req.params.id)));

    v1.get<{ Params: { id: string } }>('/v1/runs/:id/patch', { schema: { params: idParamsSchema } }, async (req, reply) => {
      const job = ownJob(req, req.params.id);
      const file = job.summary?.patchPath ?? path.join(runDirOf(ctx.cfg.stateDir, job.id), 'patch.diff');
      if (!isTerminal(job.status) || !existsSync(file)) throw new RequestError('patch_not_ready', 409, `run ${job.id} is ${job.status}: the patch is written when it ends`);
      return reply.type('text/x-diff; charset=utf-8').send(readFileSync(file, 'utf8'));
    });

    v1.post<{ Params: { id: string } }>('/v1/runs/:id/cancel', { schema: { params: idParamsSchema } }, async (req, reply) => {
      const job = ownJob(req, req.params.id);
      if (isTerminal(job.status)) throw new RequestError('already_ended', 409, `run ${job.id} already ended (${job.status})`);
      const after = ctx.store.requestCancel(job.id)!;
      await ctx.dispatch.cancel(after);
      return reply.status(202).send(runView(after, runDirOf(ctx.cfg.stateDir, job.id)));
    });

    v1.post<{ Params: { id: string } }>('/v1/runs/:id/resume', { schema: { params: idParamsSchema } }, async (req, reply) => {
      const job = ownJob(req, req.params.id);
      if (!ctx.store.requeueInterrupted(job.id)) throw new RequestError('not_interrupted', 409, `run ${job.id} is ${job.status}: only an interrupted run resumes`);
      await ctx.dispatch.enqueue(ctx.store.get(job.id)!, req.apiKey!);
      return reply.status(202).send(runView(ctx.store.get(job.id)!, runDirOf(ctx.cfg.stateDir, job.id)));
    });

    v1.get<{ Params: { id: string } }>('/v1/runs/:id/events', { schema: { params: idParamsSchema } }, async (req, reply) => {
      const job = ownJob(req, req.params.id);
      const header = req.headers['last-event-id'];
      const after = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : -1;
      reply.hijack();
      ctx.streams.serve(reply.raw, {
        file: path.join(runDirOf(ctx.cfg.stateDir, job.id), 'trajectory.jsonl'), after,
        isActive: () => !isTerminal(ctx.store.get(job.id)?.status ?? 'error'),
      });
    });
  });
  return app;
}
