/**
 * Resource limits and how a finished command is classified. Pure: no I/O.
 *
 * What enforces what (measured on this Debian 12 / kernel 6.18 VM, running as root, 2026-11-28):
 * - processes: RLIMIT_NPROC is NOT enforced for processes whose host uid is 0, even inside a bwrap
 *   user namespace mapping uid 65534 → host 0 (100 forks with `prlimit --nproc=30` all succeeded).
 *   A cgroup `pids.max` is enforced, so the sandbox uses a pids cgroup when it can create one, and
 *   `prlimit --nproc` only when not running as root (where it counts all of that user's processes).
 * - memory: RLIMIT_AS cannot be used for vitest: Node reserves ~10 GB of address space per
 *   WebAssembly instance and vitest fails even at 16 GB. A memory cgroup limit (OOM kill) is used;
 *   `addressSpaceMb` stays available for commands that want it.
 * - cpu seconds and file size: `prlimit` (SIGXCPU / SIGXFSZ).
 */
import type { EndReason } from './types.ts';

export interface SandboxLimits {
  /** CPU time per process, seconds (RLIMIT_CPU; SIGXCPU at the limit). */
  cpuSeconds?: number;
  /** Resident memory of the whole tree, MB (memory cgroup). */
  memoryMb?: number;
  /** Virtual address space per process, MB (RLIMIT_AS). Off by default: breaks WebAssembly. */
  addressSpaceMb?: number;
  /** Live processes/threads in the tree (cgroup pids.max; RLIMIT_NPROC when not root). */
  processes?: number;
  /** Largest file a process may write, MB (RLIMIT_FSIZE; SIGXFSZ). */
  fileSizeMb?: number;
}

/** Defaults: generous for a test suite, small enough that a runaway step cannot hurt the host. */
export const DEFAULT_LIMITS: Required<Omit<SandboxLimits, 'addressSpaceMb'>> = {
  cpuSeconds: 600,
  memoryMb: 2048,
  processes: 512,
  fileSizeMb: 512,
};

const MB = 1024 * 1024;

/**
 * `prlimit` arguments (util-linux) for the rlimit-enforced limits, ending with `--`.
 * @param nprocByRlimit put `--nproc` in (only when not root, see the module comment)
 */
export function prlimitArgs(limits: SandboxLimits, nprocByRlimit: boolean): string[] {
  const args: string[] = [];
  // soft:hard — SIGXCPU at the soft limit; with soft = hard the kernel sends SIGKILL first and the
  // end could not be told from an OOM kill. The hard limit 2 s later catches processes ignoring SIGXCPU.
  if (limits.cpuSeconds !== undefined) args.push(`--cpu=${Math.ceil(limits.cpuSeconds)}:${Math.ceil(limits.cpuSeconds) + 2}`);
  if (limits.addressSpaceMb !== undefined) args.push(`--as=${Math.floor(limits.addressSpaceMb * MB)}`);
  if (limits.fileSizeMb !== undefined) args.push(`--fsize=${Math.floor(limits.fileSizeMb * MB)}`);
  if (nprocByRlimit && limits.processes !== undefined) args.push(`--nproc=${limits.processes}`);
  args.push('--');
  return args;
}

/** Everything known about how a command ended. Counters are undefined when no cgroup measured them. */
export interface EndFacts {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** Tail of the output (patterns are matched on it). */
  output: string;
  /** OOM kills counted by the memory cgroup. */
  oomKills?: number;
  /** Forks refused by the pids cgroup. */
  pidsMaxHits?: number;
}

/** Output that means the process ran out of memory (V8 heap limit, RLIMIT_AS, malloc failures). */
export const MEMORY_PATTERN =
  /JavaScript heap out of memory|Cannot allocate memory|Array buffer allocation failed|ENOMEM|MemoryError|std::bad_alloc|Out of memory/i;
/** Output that means fork()/clone() was refused. */
export const FORK_PATTERN = /Resource temporarily unavailable|EAGAIN|Cannot fork|fork: retry|can't fork/i;

const SIGNAL_BY_NUMBER: Record<number, string> = {
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
};

/**
 * The signal that ended the command: the one Node reports, or one decoded from a shell/bwrap style
 * exit status 128+N (bwrap and sh report a killed child that way).
 */
export function effectiveSignal(exitCode: number | null, signal: string | null): string | null {
  if (signal) return signal;
  if (exitCode !== null && exitCode > 128 && exitCode < 160) return SIGNAL_BY_NUMBER[exitCode - 128] ?? `SIG${exitCode - 128}`;
  return null;
}

/**
 * Decides the {@link EndReason}. Measured limit counters win over the wall clock: a fork bomb that
 * also ran into the timeout is reported as `limit:processes`.
 */
export function classifyEnd(f: EndFacts): EndReason {
  if (f.aborted) return 'aborted';
  const sig = effectiveSignal(f.exitCode, f.signal);
  const failed = f.exitCode !== 0 || sig !== null;
  if ((f.oomKills ?? 0) > 0) return 'limit:memory';
  // A refused fork means the tree hit its limit even if the shell then exited 0 (a fork bomb does).
  if ((f.pidsMaxHits ?? 0) > 0) return 'limit:processes';
  if (sig === 'SIGXCPU') return 'limit:cpu';
  if (sig === 'SIGXFSZ') return 'limit:file-size';
  if (f.timedOut) return 'timeout';
  if (!failed) return 'exit';
  if (MEMORY_PATTERN.test(f.output)) return 'limit:memory';
  // Text evidence of fork failure only counts when no cgroup measured the process limit.
  if (f.pidsMaxHits === undefined && FORK_PATTERN.test(f.output)) return 'limit:processes';
  if (sig !== null) return 'signal';
  return 'exit';
}
