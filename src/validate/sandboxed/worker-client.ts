/**
 * The host side of the sandboxed validation worker (`worker.mjs`): one long-lived Node process per
 * run, started inside the run's sandbox through the public `Sandbox.run` API (no network,
 * environment allowlist, the worktree the only writable tree besides its private /tmp), speaking
 * JSON lines over a Unix socket in that private /tmp. It loads the repository's ESLint config,
 * Prettier config and TypeScript once and answers per-validation requests.
 *
 * If the worker dies (crash, memory or CPU limit), the next request starts a fresh one: the
 * per-validation fallback. After {@link MAX_STARTS} starts the client gives up with an error the
 * pipeline reports as a skipped validator. Answers are untrusted (repository code produced them):
 * callers check their shape before use.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandResult, Sandbox } from '../../sandbox/index.ts';
import { jsonLinesCaller, type JsonLinesCaller } from '../json-lines.ts';
import { MAX_SOCKET_PATH, socketParent } from '../unix-socket.ts';
import { removeAtExit } from '../../sandbox/exit-sweep.ts';
import { validationNice } from './background-priority.mjs';

/** Starts allowed per run before the worker is declared broken (1 + 2 restarts). */
export const MAX_STARTS = 3;
/** Longest a worker may live, ms: the sandbox kills it at this wall-clock limit (a run is shorter). */
const LIFETIME_MS = 6 * 60 * 60 * 1000;
/**
 * Default per-request limit, ms: a cold type-check of a large program (or type-aware lint, which
 * builds its own program) fits even on a loaded 2-core machine; a hung config does not.
 */
export const REQUEST_TIMEOUT_MS = 300_000;
/** Limit for the background warm-up, ms: several package configs and programs, nobody waits on it. */
export const WARM_TIMEOUT_MS = 900_000;
/** Longest wait for the worker to connect after its start, ms. */
const CONNECT_TIMEOUT_MS = 30_000;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORKER_FILES = ['worker.mjs', 'worker-types.mjs', 'background-priority.mjs'];
/** The socket's name in the worker's private /tmp (worker.mjs connects to `$TMPDIR/validate.sock`). */
const SOCKET = 'validate.sock';
const ownRequire = createRequire(import.meta.url);

/** patchloop's own copies, used inside the sandbox when the repository has none. */
function fallbackModules(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['eslint', 'prettier']) {
    try {
      out[name] = ownRequire.resolve(name);
    } catch {
      // not installed: the worker reports the tool missing
    }
  }
  return out;
}

export class WorkerError extends Error {
  override readonly name: string = 'WorkerError';
}

/** The worker process ended (crash, limit) while requests were pending. */
class WorkerDied extends WorkerError {
  override readonly name = 'WorkerDied';
}

interface Live {
  socket: Promise<net.Socket>;
  ended: Promise<CommandResult>;
  abort: AbortController;
  server: net.Server;
  tmp: string;
  /** Takes `tmp` off the exit sweep (sandbox/exit-sweep.ts), once it is removed. */
  swept: () => void;
  /** Set once the worker has connected. */
  caller?: JsonLinesCaller;
  /** Ends the wait for the connection (the worker ended before it connected). */
  failConnect?: (err: WorkerError) => void;
  /** Set when it is stopped (it is dead from then on): what its pending and later requests fail with. */
  endedBy?: WorkerError;
}

export class ValidationWorker {
  private live: Live | undefined;
  private starts = 0;
  private lastFailure = '';
  /** Why no worker can start on this machine at all (no retry helps); undefined while one can. */
  private unusable: string | undefined;

  constructor(
    private readonly root: string,
    private readonly sandbox: () => Promise<Sandbox>,
  ) {}

  /** Starts the worker in the background (idempotent while one is alive). */
  start(): void {
    if (this.live && !this.live.endedBy) return;
    if (this.starts >= MAX_STARTS || this.unusable) return;
    // The worker's private /tmp holds its socket: under TMPDIR unless that makes the path too long.
    const parent = socketParent([os.tmpdir(), '/tmp'], 'patchloop-vw-', SOCKET);
    if (!parent) {
      this.unusable = `validation worker: its socket path would be over ${MAX_SOCKET_PATH} bytes under TMPDIR=${os.tmpdir()}, and /tmp is missing: set TMPDIR to a shorter folder`;
      return;
    }
    this.starts++;
    const tmp = mkdtempSync(path.join(parent, 'patchloop-vw-'));
    for (const f of WORKER_FILES) copyFileSync(path.join(HERE, f), path.join(tmp, f));
    writeFileSync(path.join(tmp, 'validate-worker.json'), JSON.stringify({ fallback: fallbackModules(), nice: validationNice() }));
    const server = net.createServer();
    const abort = new AbortController();
    const live: Live = { tmp, swept: removeAtExit(tmp), server, abort, socket: undefined as never, ended: undefined as never };
    live.socket = new Promise<net.Socket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new WorkerError(`validation worker did not connect within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      // The timer goes too: left armed it would hold the process open for the rest of CONNECT_TIMEOUT_MS.
      live.failConnect = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      server.once('connection', (sock) => {
        clearTimeout(timer);
        server.close(); // exactly one client: nothing else may connect later
        this.wire(live, sock);
        resolve(sock);
      });
      server.once('error', reject);
    });
    live.socket.catch(() => undefined);
    server.listen(path.join(tmp, SOCKET));
    live.ended = this.sandbox().then((sb) => sb.run({
      command: `exec '${process.execPath.replace(/'/g, `'\\''`)}' "$TMPDIR/worker.mjs"`,
      cwd: this.root,
      tmpDir: tmp,
      timeoutMs: LIFETIME_MS,
      maxOutputBytes: 64 * 1024,
      signal: abort.signal,
    }));
    void live.ended.then(
      (r) => this.died(live, `worker ended (${r.reason}, exit ${r.exitCode}): ${r.output.trim().split('\n').slice(-5).join(' | ').slice(0, 600)}`),
      (err: unknown) => this.died(live, `worker could not start: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.live = live;
  }

  private wire(live: Live, sock: net.Socket): void {
    // Answers come from repository code: only the first line of an error, capped.
    live.caller = jsonLinesCaller(sock, (error) => new WorkerError(String(error ?? 'worker error').split('\n')[0]!.slice(0, 500)));
    sock.on('error', () => undefined);
    // Prefer the sandbox's account of the end (exit code, stderr tail) when it follows promptly.
    sock.on('close', () => void Promise.race([live.ended, new Promise((r) => setTimeout(r, 2000).unref())]).finally(() => this.died(live, 'worker closed its connection')));
  }

  private died(live: Live, why: string): void {
    this.lastFailure = why;
    this.stop(live, why, true);
  }

  private stop(live: Live, why: string, crashed = false): void {
    if (live.endedBy) return;
    live.endedBy = crashed ? new WorkerDied(why) : new WorkerError(why);
    // A worker that ended before connecting: fail now with its own account, not after CONNECT_TIMEOUT_MS.
    live.failConnect?.(live.endedBy);
    live.abort.abort();
    live.server.close();
    void live.socket.then((s) => s.destroy(), () => undefined);
    live.caller?.fail(live.endedBy);
    // The sandbox has ended (or is ending) the process: its private /tmp can go.
    void live.ended?.finally(() => {
      try {
        rmSync(live.tmp, { recursive: true, force: true });
        live.swept();
      } catch {
        // left to the exit sweep
      }
    });
  }

  /**
   * Sends one request and resolves its (untrusted) result.
   * @throws WorkerError when the worker answers with an error, dies, or exceeds `timeoutMs`; after
   *   {@link MAX_STARTS} starts, one naming the last failure.
   */
  async request(op: string, args: Record<string, unknown>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<unknown> {
    try {
      return await this.send(op, args, timeoutMs);
    } catch (err) {
      // The worker died under this request (not an error answer, not our timeout): one retry in a fresh one.
      if (!(err instanceof WorkerDied) || this.starts >= MAX_STARTS) throw err;
      return this.send(op, args, timeoutMs);
    }
  }

  private async send(op: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    this.start();
    if (this.unusable) throw new WorkerError(this.unusable);
    const live = this.live;
    if (!live || live.endedBy) throw new WorkerError(`validation worker failed ${this.starts} times; last: ${this.lastFailure}`);
    await live.socket;
    // It may have died while connecting: the same error its pending requests got (WorkerDied is retried).
    if (live.endedBy || !live.caller) throw live.endedBy ?? new WorkerError(`validation worker: stopped before ${op}`);
    const timer = setTimeout(() => this.stop(live, `validation worker: ${op} took longer than ${timeoutMs} ms`), timeoutMs);
    try {
      return await live.caller.call(op, args);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Number of worker processes started so far (1 when it never died). */
  get startCount(): number {
    return this.starts;
  }

  /** Ends the worker and its sandbox; the next request would start a new one. */
  dispose(): void {
    if (this.live) this.stop(this.live, 'disposed');
  }
}
