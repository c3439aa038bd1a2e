/**
 * Runs one argv as a detached process group with a wall-clock timeout, an abort signal and an
 * output cap. Both backends use it; what differs is the argv (bwrap or not) and the cgroup.
 * A failed, hung or killed command is data, never an exception.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { OutputCap } from './output-cap.ts';

/** `child_process.spawn`'s shape (injected in tests). */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
/** `process.kill`'s shape (injected in tests). Negative pid = process group. */
export type KillFn = (pid: number, signal: NodeJS.Signals) => void;

/** How long to wait for the pipes to close after the process exited, ms. */
const PIPE_GRACE_MS = 500;

export interface ExecDeps {
  spawn?: SpawnFn;
  kill?: KillFn;
  now?: () => number;
}

export interface ExecRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Also called when the step ends by timeout/abort/limit (e.g. cgroup kill). */
  killTree?: () => Promise<void>;
  /** Polled every `pollMs`; returning true ends the step early (e.g. the pids limit was hit). */
  shouldStop?: () => Promise<boolean>;
  pollMs?: number;
}

export interface ExecOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** True when `shouldStop` ended the step. */
  stopped: boolean;
  output: string;
  outputTail: string;
  bytesCut: number;
  durationMs: number;
  /** Set when the process could not start at all (ENOENT…). */
  spawnError?: string;
}

/** Runs the request to completion; resolves once the process has exited and its pipes closed. */
export function execCapture(req: ExecRequest, deps: ExecDeps = {}): Promise<ExecOutcome> {
  const spawn = deps.spawn ?? nodeSpawn;
  const kill = deps.kill ?? ((pid, sig) => process.kill(pid, sig));
  const now = deps.now ?? Date.now;
  const started = now();
  const cap = new OutputCap(req.maxOutputBytes);
  let timedOut = false;
  let aborted = false;
  let stopped = false;

  return new Promise<ExecOutcome>((resolve) => {
    const [cmd, ...args] = req.argv;
    let child: ChildProcess;
    try {
      // detached: own process group, so one kill(-pgid) reaches the shell and what it started.
      child = spawn(cmd!, args, { cwd: req.cwd, env: req.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve(failedStart(err, now() - started));
      return;
    }
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        kill(-child.pid, 'SIGKILL');
      } catch {
        /* group already gone */
      }
      void req.killTree?.();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, req.timeoutMs);
    const poll =
      req.shouldStop &&
      setInterval(() => {
        void req.shouldStop!().then((stop) => {
          if (stop && !stopped) {
            stopped = true;
            killGroup();
          }
        });
      }, req.pollMs ?? 100);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (b: Buffer) => cap.push(b));
    child.stderr?.on('data', (b: Buffer) => cap.push(b));
    let spawnError: string | undefined;
    child.on('error', (err) => {
      spawnError = err.message;
      // Never started: no 'exit' will follow.
      if (child.pid === undefined) void finish();
    });
    let exit: { code: number | null; sig: NodeJS.Signals | null } | undefined;
    let finished = false;
    const finish = async (): Promise<void> => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      req.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.sig ?? null,
        timedOut,
        aborted,
        stopped,
        output: cap.text(),
        outputTail: cap.tailText(),
        bytesCut: cap.bytesCut,
        durationMs: now() - started,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };
    child.on('exit', (code, sig) => {
      exit = { code, sig };
      // Stragglers: the rest of the group, and (via the cgroup) anything that left it with setsid.
      killGroup();
      // A process that escaped both may still hold the pipes open: stop waiting for them soon.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        void finish();
      }, PIPE_GRACE_MS).unref();
    });
    // 'close' = exited and both pipes drained.
    child.on('close', (code, sig) => {
      exit ??= { code, sig };
      void finish();
    });
  });
}

function failedStart(err: unknown, durationMs: number): ExecOutcome {
  const message = err instanceof Error ? err.message : String(err);
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    stopped: false,
    output: message,
    outputTail: message,
    bytesCut: 0,
    durationMs,
    spawnError: message,
  };
}
