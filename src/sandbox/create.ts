/**
 * Chooses and builds the sandbox. `auto` picks bwrap when it is on PATH and a probe run works, else
 * falls back to the process backend *with a warning*: isolation is never switched off silently.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import { serversRoot } from '../git/worktrees-root.ts';
import type { ExecDeps } from './exec.ts';
import { resolveHiddenPaths } from './hidden-paths.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
import { CommandSandbox } from './sandbox.ts';
import { buildBwrapArgs, isUnder, type BwrapPolicy } from './bwrap-args.ts';
import type { OverlaySupport } from './command-mounts.ts';
import { probeOverlay } from './node-modules-layer.ts';

export interface CreateSandboxOptions {
  /** Default 'auto'. */
  backend?: 'bwrap' | 'process' | 'auto';
  /** One-line warnings for the person (e.g. the process backend is not isolated). Required. */
  warn: (line: string) => void;
  /** Limits; merged over {@link DEFAULT_LIMITS}. */
  limits?: SandboxLimits;
  /** The real HOME whose credential files are hidden (default os.homedir()). */
  home?: string;
  /** Environment the allowlist reads from (default process.env). */
  hostEnv?: Record<string, string | undefined>;
  /** Parent of private tmp dirs (default os.tmpdir()). */
  tmpRoot?: string;
  /** Use per-command cgroups when possible (default true). */
  useCgroups?: boolean;
  /** PATH lookup (injected in tests); returns an absolute path or null. */
  which?: (name: string) => string | null;
  /** Runs the bwrap probe; resolves to an error message, or null when it worked. */
  probe?: (bwrapPath: string) => Promise<string | null>;
  /** Runs the node_modules overlay probe; resolves to an error message, or null when it worked. */
  probeOverlay?: (unsharePath: string, bwrapPath: string) => Promise<string | null>;
  deps?: ExecDeps;
}

/** Finds an executable on PATH. */
export function whichSync(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(':')) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** The real policy flags around `argv`, for probes (nothing hidden or masked). */
function probePolicy(dir: string, argv: string[], overlayPaths: string[] = []): BwrapPolicy {
  return {
    cwd: dir, privateTmp: dir, maskedDirs: [], readOnlyPaths: [], replacedFiles: [], overlayPaths,
    hiddenDirs: [], hiddenFiles: [], network: false, sandboxUid: 65534, sandboxGid: 65534,
    env: { PATH: '/usr/bin:/bin' }, argv,
  };
}

/** Runs `bwrap <the real policy flags> true` in a throwaway dir; null on success, else the reason. */
export function probeBwrap(bwrapPath: string): Promise<string | null> {
  const args = buildBwrapArgs(probePolicy(os.tmpdir(), ['true']));
  return new Promise((resolve) => {
    execFile(bwrapPath, args, { timeout: 10_000 }, (err, _out, stderr) => {
      resolve(err ? `${err.message.split('\n')[0]} ${String(stderr).trim()}`.trim() : null);
    });
  });
}

/**
 * Mounts a throwaway node_modules layer in a scratch dir and runs bwrap inside it, writing through
 * the layer; null when that works (and the scratch dir stayed empty), else the reason.
 */
export async function probeNodeModulesLayer(unsharePath: string, bwrapPath: string): Promise<string | null> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'patchloop-probe-'));
  try {
    return await probeOverlay(unsharePath, scratch, (target) => [
      bwrapPath,
      ...buildBwrapArgs(probePolicy(scratch, ['/bin/sh', '-c', `echo x > '${target}/probe'`], [target])),
    ]);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Builds the sandbox.
 * @returns a `CommandSandbox` (a `Sandbox` with an extra `enforcement` field saying what enforces
 *   each limit here)
 * @throws EnvironmentError when `backend: 'bwrap'` is asked for and bwrap is missing or its probe
 *   fails; UsageError on an unknown backend name
 */
export async function createSandbox(opts: CreateSandboxOptions): Promise<CommandSandbox> {
  const choice = opts.backend ?? 'auto';
  if (!['auto', 'bwrap', 'process'].includes(choice)) {
    throw new UsageError('bad_sandbox_backend', `Unknown sandbox backend "${String(choice)}": use bwrap, process or auto`);
  }
  const which = opts.which ?? ((n: string) => whichSync(n));
  const probe = opts.probe ?? probeBwrap;
  const home = opts.home ?? os.homedir();
  const isRoot = process.getuid?.() === 0;
  let backend: 'bwrap' | 'process' = 'process';
  let why = 'selected explicitly';
  const bwrapPath = which('bwrap');
  if (choice !== 'process') {
    const failure = bwrapPath === null ? 'bwrap not found on PATH (apt-get install bubblewrap)' : await probe(bwrapPath);
    if (failure === null) backend = 'bwrap';
    else if (choice === 'bwrap') throw new EnvironmentError('sandbox_unavailable', `sandbox: bwrap backend asked for but unusable: ${failure}`);
    else why = `fallback: ${failure}`;
  }
  if (backend === 'process') {
    opts.warn(`sandbox: process backend — the run is NOT isolated (${why}); commands can read and write anything this user can`);
  }
  // Hide credentials under the given HOME, and under the account's own home and /root if different.
  const homes = [...new Set([home, os.homedir(), ...(isRoot ? ['/root'] : [])])];
  const hidden = { dirs: [] as string[], files: [] as string[] };
  for (const h of homes) {
    const found = resolveHiddenPaths(h);
    hidden.dirs.push(...found.dirs);
    hidden.files.push(...found.files);
  }
  // Warm validation servers' sockets (a read-only mount does not stop connect()): hidden unless
  // under /tmp, /var/tmp or /run, which the sandbox replaces anyway.
  const servers = serversRoot();
  if (!['/tmp', '/var/tmp', '/run'].some((d) => isUnder(servers, d))) {
    mkdirSync(servers, { recursive: true, mode: 0o700 });
    hidden.dirs.push(servers);
  }
  let overlay: OverlaySupport = { ok: false, reason: 'bwrap backend only' };
  if (backend === 'bwrap') {
    const unshare = which('unshare');
    const failure = unshare === null ? 'unshare not found on PATH (apt-get install util-linux)' : await (opts.probeOverlay ?? probeNodeModulesLayer)(unshare, bwrapPath!);
    overlay = failure === null ? { ok: true, unsharePath: unshare! } : { ok: false, reason: failure };
    if (failure !== null) opts.warn(`sandbox: node_modules stays read-only (no throwaway layer: ${failure}); vite/vitest caches there will fail with EROFS`);
  }
  const sandbox = new CommandSandbox({
    backend,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    hidden,
    prlimitPath: which('prlimit'),
    bashPath: which('bash'),
    bwrapPath: bwrapPath ?? 'bwrap',
    overlay,
    useCgroups: opts.useCgroups ?? true,
    isRoot,
    hostEnv: opts.hostEnv ?? process.env,
    tmpRoot: opts.tmpRoot ?? os.tmpdir(),
    deps: opts.deps ?? {},
  });
  await sandbox.probeEnforcement();
  const e = sandbox.enforcement;
  const missing = [
    ...(e.processes === 'none' ? ['process count (fork bombs stop only at the timeout)'] : []),
    ...(e.memory === 'none' ? ['memory'] : []),
    ...(e.cpu === 'none' || e.fileSize === 'none' ? ['cpu/file size (prlimit missing: apt-get install util-linux)'] : []),
  ];
  if (which('bash') === null) opts.warn('sandbox: bash not found: descriptors the loop inherited stay open in sandboxed commands');
  if (missing.length > 0) opts.warn(`sandbox: limits not enforced here (no writable cgroup${isRoot ? ', running as root' : ''}): ${missing.join('; ')}`);
  return sandbox;
}
