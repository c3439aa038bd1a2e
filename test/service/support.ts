/**
 * A real `patchloop serve` for tests: Fastify on a random port, the embedded SQLite queue in a temp
 * state folder, a repos root holding one scratch copy of a shipped task, and the replay provider.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTask, prepareInstanceRepo, type TaskInstance } from '../../src/eval/instance.ts';
import { startService, type RunningService, type ServeOptions } from '../../src/service/server.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { runDirOf } from '../../src/service/executor.ts';

export const TASK_ID = 'bugfix-slugify';
export const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
/** The webhook secret the service tests configure. */
export const WEBHOOK_SECRET = 'webhook-secret-for-tests';
/** `X-Hub-Signature-256` of `body` under `secret`, as GitHub sends it. */
export const signWebhook = (body: string, secret = WEBHOOK_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface TestService {
  svc: RunningService;
  dir: string;
  reposRoot: string;
  stateDir: string;
  /** The repository's path relative to the repos root (what a request names). */
  repoRel: string;
  inst: TaskInstance;
  /** Bearer token of key "tester". */
  token: string;
  keyId: string;
  /** A valid run request for the task. */
  body: () => Record<string, unknown>;
  api: (p: string, init?: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }) => Promise<Response>;
  close: () => Promise<void>;
}

/** Prepares the folders and the repository (no server). */
export async function prepareService(): Promise<{ dir: string; reposRoot: string; stateDir: string; repoRel: string; inst: TaskInstance }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-service-'));
  const reposRoot = path.join(dir, 'repos');
  const stateDir = path.join(dir, 'state');
  mkdirSync(reposRoot);
  const inst = loadTask(path.join(REPO_ROOT, 'tasks', TASK_ID));
  const repo = await prepareInstanceRepo(inst, NODE_MODULES, reposRoot);
  return { dir, reposRoot, stateDir, repoRel: path.basename(repo), inst };
}

export function serviceOptions(p: { reposRoot: string; stateDir: string; inst: TaskInstance }, over: Partial<ServeOptions> = {}): ServeOptions {
  return {
    port: 0, host: '127.0.0.1', workers: 2, reposRoot: p.reposRoot, stateDir: p.stateDir, sandbox: 'auto', validate: false, env: {},
    provider: { provider: 'replay', transcript: path.join(p.inst.dir, 'transcript.jsonl') }, ...over,
  };
}

export async function startTestService(over: Partial<ServeOptions> & { concurrency?: number; dailyUsd?: number } = {}): Promise<TestService> {
  const p = await prepareService();
  const { concurrency, dailyUsd, ...opts } = over;
  const svc = await startService(serviceOptions(p, opts));
  const { key, token } = svc.keys.create('tester', { concurrency: concurrency ?? 50, ...(dailyUsd ? { dailyUsd } : {}) });
  const api: TestService['api'] = (rel, init = {}) =>
    fetch(`${svc.url}${rel}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? token}` }),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
  return {
    svc, ...p, token, keyId: key.id, api,
    body: () => ({ repo: { path: p.repoRel }, task: p.inst.task.prompt, testCmd: p.inst.task.test_cmd, maxIterations: 6 }),
    close: async () => {
      await svc.close();
      rmSync(p.dir, { recursive: true, force: true });
    },
  };
}

export interface SseEvent { id: number; event: string; data: { seq: number; type: string; [k: string]: unknown } }

/**
 * Reads Server-Sent Events from `res` until the stream ends or `stopAfter` events were read (then it
 * disconnects, as a client that loses its connection does).
 */
export async function readSse(res: Response, stopAfter = Infinity): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      if (fields['data'] === undefined) continue;
      out.push({ id: Number(fields['id']), event: fields['event'] ?? 'message', data: JSON.parse(fields['data']) });
      if (out.length >= stopAfter) {
        await reader.cancel();
        return out;
      }
    }
  }
  return out;
}

/** Polls `GET /v1/runs/:id` until `pred` holds. @throws after `timeoutMs`. */
export async function waitForRun(t: TestService, id: string, pred: (run: { status: string; [k: string]: unknown }) => boolean, timeoutMs = 60_000): Promise<{ status: string; [k: string]: unknown }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const run = (await (await t.api(`/v1/runs/${id}`)).json()) as { status: string };
    if (pred(run)) return run;
    if (Date.now() > end) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once the trajectory `file` holds a model reply (false while it is not written yet). */
export function hasModelReply(file: string): boolean {
  try {
    return readTrajectory(file).some((e) => e.type === 'model_call');
  } catch {
    return false; // not written yet
  }
}

/** Waits until the run's first model reply is on disk (the run is mid-way). */
export function waitForFirstReply(t: TestService, id: string): Promise<unknown> {
  const file = path.join(runDirOf(t.stateDir, id), 'trajectory.jsonl');
  return waitForRun(t, id, () => hasModelReply(file));
}
