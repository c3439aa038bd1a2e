/**
 * Pure-function checks in isolated-vm: the module under test is bundled with esbuild (no Node
 * builtins allowed), then run with generated checks inside an isolate with a memory limit and a
 * timeout, in a child process (`node --no-node-snapshot sandbox/isolate-runner.mjs`). Per the
 * isolated-vm 5.x README (checked 2026-11): Node ≥ 20 needs --no-node-snapshot, `memoryLimit` is a
 * guideline (a hostile script can reach 2–3×), and an OOM isolate can take its host process down —
 * hence the separate process, and a hard kill from here if the runner itself overruns.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SpawnFn } from './exec.ts';

export interface IsolateCheck {
  name: string;
  passed: boolean;
  message?: string;
}

export interface IsolateResult {
  checks: IsolateCheck[];
  /** Bundling error, runtime error outside a check, timeout or memory message. */
  error?: string;
  reason: 'ok' | 'timeout' | 'limit:memory' | 'error';
  /** Wall time seen by the caller (bundle + process round trip), ms. */
  durationMs: number;
  /** Time inside the runner: create isolate + load + run, ms. */
  isolateMs?: number;
}

export interface IsolateLimits {
  /** Isolate heap limit, MB (isolated-vm minimum is 8). */
  memoryLimitMb: number;
  /** Execution timeout inside the isolate, ms. */
  timeoutMs: number;
}

export interface IsolateDeps {
  spawn?: SpawnFn;
  /** Path of isolate-runner.mjs (default: the repo's sandbox/isolate-runner.mjs). */
  runnerPath?: string;
  /** Extra ms the runner process gets (startup, bundle transfer) before it is killed. Default 5000. */
  graceMs?: number;
}

const DEFAULT_RUNNER = fileURLToPath(new URL('../../sandbox/isolate-runner.mjs', import.meta.url));
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Bundles `entry` into an IIFE that sets `globalThis.__mod` to the module's exports.
 * @throws Error naming the builtin when the module (or its imports) use a Node builtin, or esbuild's message
 */
export async function bundleForIsolate(entry: string): Promise<string> {
  // Loaded on the first check_pure, not on every run's start-up path (issue 13).
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__mod',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'no-node-builtins',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            BUILTINS.has(args.path) || args.path.startsWith('node:')
              ? { errors: [{ text: `Node builtin "${args.path}" is not available in isolated checks: only pure modules can be checked here` }] }
              : undefined,
          );
        },
      },
    ],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return file.text.replace(/^var __mod =/m, 'globalThis.__mod =');
}

/**
 * Runs `checks` (JS that calls `check(name, fn)` and `expect(x)…`, with the module's exports as `mod`)
 * against the module at `entry`. Never throws: bundling errors come back as reason `error`.
 */
export async function runIsolatedChecks(
  opts: { entry: string; checks: string } & IsolateLimits,
  deps: IsolateDeps = {},
): Promise<IsolateResult> {
  const started = performance.now();
  let bundle: string;
  try {
    bundle = await bundleForIsolate(opts.entry);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { checks: [], error: `bundle failed: ${msg}`, reason: 'error', durationMs: performance.now() - started };
  }
  const r = await callRunner({ mode: 'checks', bundle, checks: opts.checks, memoryLimitMb: opts.memoryLimitMb, timeoutMs: opts.timeoutMs }, opts.timeoutMs, deps);
  return { ...r, durationMs: performance.now() - started };
}

export interface SnippetResult {
  /** The value of the snippet's last expression (structured-cloned out of the isolate). */
  value?: unknown;
  error?: string;
  reason: IsolateResult['reason'];
  durationMs: number;
}

/** Evaluates `code` in a fresh isolate. Never throws. */
export async function runIsolatedSnippet(code: string, limits: IsolateLimits, deps: IsolateDeps = {}): Promise<SnippetResult> {
  const started = performance.now();
  const r = await callRunner({ mode: 'snippet', code, memoryLimitMb: limits.memoryLimitMb, timeoutMs: limits.timeoutMs }, limits.timeoutMs, deps);
  const out: SnippetResult = { reason: r.reason, durationMs: performance.now() - started };
  if ('value' in r) out.value = (r as { value?: unknown }).value;
  if (r.error !== undefined) out.error = r.error;
  return out;
}

/** Low-level: sends one request to a fresh runner process. Used by the benchmark with `repeat`. */
export function callRunner(
  request: Record<string, unknown>,
  timeoutMs: number,
  deps: IsolateDeps = {},
): Promise<IsolateResult & { value?: unknown; timingsMs?: number[] }> {
  const spawn = deps.spawn ?? nodeSpawn;
  const started = performance.now();
  return new Promise((resolve) => {
    // Minimal env: the isolate cannot read it, but the runner process should not hold keys either.
    const child = spawn(process.execPath, ['--no-node-snapshot', deps.runnerPath ?? DEFAULT_RUNNER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs + (deps.graceMs ?? 5000));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ checks: [], error: `isolate runner did not start: ${err.message}`, reason: 'error', durationMs: performance.now() - started });
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      try {
        const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as IsolateResult & { value?: unknown; timingsMs?: number[] };
        resolve({ ...parsed, isolateMs: parsed.durationMs, durationMs });
      } catch {
        // The runner died: killed by us (timeout), or the isolate took the process down (memory).
        const reason = killed ? 'timeout' : /memory|allocation/i.test(stderr) || sig === 'SIGKILL' || sig === 'SIGABRT' ? 'limit:memory' : 'error';
        resolve({ checks: [], error: `isolate runner ended (${sig ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`, reason, durationMs });
      }
    });
    child.stdin?.end(JSON.stringify(request));
  });
}
