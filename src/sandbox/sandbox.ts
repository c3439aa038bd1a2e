/**
 * The two `Sandbox` backends. `bwrap` isolates filesystem, network, pids, IPC and credentials;
 * `process` is a plain child process (same env allowlist, limits and output cap, but NOT isolated).
 * Both put the command in a per-command cgroup when one can be created (process count, memory,
 * tree kill) and wrap it in `prlimit` (cpu seconds, file size).
 */
import { existsSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { buildBwrapArgs } from './bwrap-args.ts';
import { createCommandCgroup, launcherArgv, type CommandCgroup } from './cgroup.ts';
import { prepareCommandMounts, type CommandMounts, type OverlaySupport } from './command-mounts.ts';
import { buildSandboxEnv } from './env.ts';
import { execCapture, type ExecDeps } from './exec.ts';
import type { HiddenPaths } from './hidden-paths.ts';
import { classifyEnd, prlimitArgs, type SandboxLimits } from './limits.ts';
import { DEFAULT_MAX_OUTPUT_BYTES } from './output-cap.ts';
import type { CommandResult, CommandSpec, Sandbox, SandboxBackendName } from './types.ts';

/** What actually enforces each limit on this host (recorded in the trace next to `isolated`). */
export interface LimitEnforcement {
  processes: 'cgroup' | 'rlimit' | 'none';
  memory: 'cgroup' | 'rlimit-as' | 'none';
  cpu: 'rlimit' | 'none';
  fileSize: 'rlimit' | 'none';
}

export interface SandboxOptions {
  backend: SandboxBackendName;
  limits: SandboxLimits;
  /** Credential paths to hide (bwrap). */
  hidden: HiddenPaths;
  /** Absolute path of `prlimit`, or null when util-linux is missing (cpu/file-size then unenforced). */
  prlimitPath: string | null;
  /** Absolute path of bash, used by the launcher to close inherited fds (null: they stay open). */
  bashPath: string | null;
  /** Absolute path of `bwrap` (bwrap backend). */
  bwrapPath: string;
  /** node_modules overlays usable here (bwrap backend); otherwise node_modules is read-only, with a note. */
  overlay: OverlaySupport;
  /** Try per-command cgroups (default true). */
  useCgroups: boolean;
  /** True when the loop runs as uid 0 (RLIMIT_NPROC is then ignored by the kernel). */
  isRoot: boolean;
  hostEnv: Record<string, string | undefined>;
  /** Parent dir for private tmp dirs (default os.tmpdir()). */
  tmpRoot: string;
  deps: ExecDeps;
}

let counter = 0;

export class CommandSandbox implements Sandbox {
  readonly backend: SandboxBackendName;
  readonly isolated: boolean;
  /** Last observed enforcement (updated per command: cgroups can fail to create). */
  enforcement: LimitEnforcement;
  /** How `<cwd>/node_modules` is exposed, for the person: a throwaway layer, read-only (and why), or plain. */
  readonly nodeModules: string;

  constructor(private readonly opts: SandboxOptions) {
    this.backend = opts.backend;
    this.isolated = opts.backend === 'bwrap';
    this.nodeModules = !this.isolated ? 'writable (not isolated)' : opts.overlay.ok ? 'throwaway writable layer' : `read-only (${opts.overlay.reason})`;
    this.enforcement = this.expectedEnforcement(null);
  }

  /** Creates and removes a throwaway cgroup to learn what this host will enforce; updates `enforcement`. */
  async probeEnforcement(): Promise<LimitEnforcement> {
    const { limits } = this.opts;
    const cg = this.opts.useCgroups
      ? await createCommandCgroup(`patchloop-probe-${process.pid}-${++counter}`, { processes: limits.processes, memoryMb: limits.memoryMb })
      : null;
    this.enforcement = this.expectedEnforcement(cg);
    await cg?.remove();
    return this.enforcement;
  }

  private expectedEnforcement(cg: CommandCgroup | null): LimitEnforcement {
    const { limits, prlimitPath, isRoot } = this.opts;
    const rl = prlimitPath !== null;
    return {
      processes: cg?.enforces.processes ? 'cgroup' : rl && !isRoot && limits.processes !== undefined ? 'rlimit' : 'none',
      memory: cg?.enforces.memory ? 'cgroup' : rl && limits.addressSpaceMb !== undefined ? 'rlimit-as' : 'none',
      cpu: rl && limits.cpuSeconds !== undefined ? 'rlimit' : 'none',
      fileSize: rl && limits.fileSizeMb !== undefined ? 'rlimit' : 'none',
    };
  }

  /**
   * Runs `spec.command` with `/bin/sh -c` under the policy.
   * @throws EnvironmentError when `cwd` is not an existing absolute directory or the backend binary
   *   cannot be started; everything else (exit codes, timeouts, limits) is in the result.
   */
  async run(spec: CommandSpec): Promise<CommandResult> {
    checkSpec(spec);
    const { opts } = this;
    const ownTmp = spec.tmpDir === undefined;
    const privateTmp = spec.tmpDir ?? (await fs.mkdtemp(path.join(opts.tmpRoot, 'patchloop-sbx-')));
    await fs.mkdir(path.join(privateTmp, 'home'), { recursive: true });
    const inside = this.backend === 'bwrap' ? { home: '/tmp/home', tmp: '/tmp' } : { home: path.join(privateTmp, 'home'), tmp: privateTmp };
    const env = buildSandboxEnv(opts.hostEnv, spec.env, inside);

    let cg: CommandCgroup | null = null;
    let mounts: CommandMounts | null = null;
    try {
      mounts = this.backend === 'bwrap' ? await prepareCommandMounts(spec.cwd, opts.tmpRoot, opts.overlay, spec.keepDependencyWrites) : null;
      cg = opts.useCgroups
        ? await createCommandCgroup(`patchloop-${process.pid}-${++counter}`, {
            processes: opts.limits.processes,
            memoryMb: opts.limits.memoryMb,
          })
        : null;
      const group = cg;
      this.enforcement = this.expectedEnforcement(group);
      const inner = [
        ...(opts.prlimitPath ? [opts.prlimitPath, ...prlimitArgs(opts.limits, this.enforcement.processes === 'rlimit')] : []),
        '/bin/sh',
        '-c',
        spec.command,
      ];
      const argv = mounts
        ? mounts.wrap([
            opts.bwrapPath,
            ...buildBwrapArgs({
              cwd: spec.cwd,
              privateTmp,
              ...mounts.policy,
              hiddenDirs: opts.hidden.dirs,
              hiddenFiles: opts.hidden.files,
              network: spec.network ?? false,
              // As root: an unprivileged uid in a user namespace, so no capabilities survive.
              sandboxUid: opts.isRoot ? 65534 : (process.getuid?.() ?? 65534),
              sandboxGid: opts.isRoot ? 65534 : (process.getgid?.() ?? 65534),
              env,
              argv: inner,
            }),
          ])
        : inner;

      const out = await execCapture(
        {
          argv: launcherArgv(cg?.procsFiles ?? [], argv, opts.bashPath),
          cwd: spec.cwd,
          env: this.backend === 'bwrap' ? { PATH: env.PATH! } : env,
          timeoutMs: spec.timeoutMs,
          maxOutputBytes: spec.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
          ...(spec.signal ? { signal: spec.signal } : {}),
          ...(group
            ? {
                killTree: () => group.killAll(killPid),
                // A tree at its process limit (fork bomb, leak) or hit by the OOM killer is already
                // compromised: end it now rather than at the timeout.
                shouldStop: async () => {
                  const st = await group.stats();
                  return st.pidsMaxHits > 0 || st.oomKills > 0;
                },
              }
            : {}),
        },
        opts.deps,
      );
      if (out.spawnError !== undefined && out.exitCode === null) {
        throw new EnvironmentError('sandbox_start_failed', `sandbox: could not start ${argv[0]}: ${out.spawnError}`);
      }
      const stats = cg ? await cg.stats() : undefined;
      const reason = classifyEnd({
        exitCode: out.exitCode,
        signal: out.signal,
        timedOut: out.timedOut,
        aborted: out.aborted,
        output: out.outputTail,
        ...(stats && cg?.enforces.memory ? { oomKills: stats.oomKills } : {}),
        ...(stats && cg?.enforces.processes ? { pidsMaxHits: stats.pidsMaxHits } : {}),
      });
      const notes = mounts?.notes ?? [];
      return {
        exitCode: out.exitCode,
        signal: out.signal,
        reason,
        // Notes lead the output too, so the person, the trace and the repair prompt all see them.
        output: notes.length > 0 ? `${notes.join('\n')}\n${out.output}` : out.output,
        ...(notes.length > 0 ? { notes } : {}),
        bytesCut: out.bytesCut,
        durationMs: out.durationMs,
        backend: this.backend,
      };
    } finally {
      if (cg) {
        await cg.killAll(killPid);
        await cg.remove();
      }
      await mounts?.dispose();
      if (ownTmp) await fs.rm(privateTmp, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

function killPid(pid: number): void {
  process.kill(pid, 'SIGKILL');
}

function checkSpec(spec: CommandSpec): void {
  if (typeof spec.command !== 'string' || spec.command.trim() === '') {
    throw new EnvironmentError('sandbox_bad_spec', 'sandbox: empty command: pass the shell command line to run');
  }
  if (!path.isAbsolute(spec.cwd) || !existsSync(spec.cwd) || !statSync(spec.cwd).isDirectory()) {
    throw new EnvironmentError(
      'sandbox_bad_cwd',
      `sandbox: cwd ${JSON.stringify(spec.cwd)} is not an existing absolute directory: pass the worktree path`,
    );
  }
  // setTimeout fires at once for delays above 2^31-1 ms, which would turn a long limit into none.
  if (!(spec.timeoutMs > 0) || !(spec.timeoutMs <= 2 ** 31 - 1)) {
    throw new EnvironmentError('sandbox_bad_spec', `sandbox: timeoutMs must be a number of ms in 1..2147483647, got ${spec.timeoutMs}`);
  }
}

/** Default parent for private tmp dirs. */
export const defaultTmpRoot = (): string => os.tmpdir();
