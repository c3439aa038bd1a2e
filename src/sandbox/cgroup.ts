/**
 * Per-command cgroups that hold what rlimits cannot: the number of processes in the tree (pids.max,
 * enforced even for uid 0) and resident memory (OOM kill), plus a reliable way to kill the whole tree.
 * Supports cgroup v1 (per-controller hierarchies, as on this VM) and v2 (unified, needs the
 * controllers delegated). New groups are created *below the loop's own cgroup*, so limits the
 * platform puts on the loop still apply. When nothing is writable, `createCommandCgroup` returns null
 * and the caller reports the limits as unenforced.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** File operations used (injected in tests). */
export interface CgroupFs {
  readFile(p: string): Promise<string>;
  writeFile(p: string, data: string): Promise<void>;
  mkdir(p: string): Promise<void>;
  rmdir(p: string): Promise<void>;
  exists(p: string): Promise<boolean>;
}

export const realCgroupFs: CgroupFs = {
  readFile: (p) => fs.readFile(p, 'utf8'),
  writeFile: (p, d) => fs.writeFile(p, d),
  mkdir: async (p) => void (await fs.mkdir(p)),
  rmdir: (p) => fs.rmdir(p),
  exists: (p) =>
    fs.access(p).then(
      () => true,
      () => false,
    ),
};

export interface CommandCgroup {
  /** `cgroup.procs` files the wrapper writes its pid into before exec'ing the command. */
  procsFiles: string[];
  /** Which limits this cgroup enforces. */
  enforces: { processes: boolean; memory: boolean };
  /** OOM kills and refused forks so far. */
  stats(): Promise<{ oomKills: number; pidsMaxHits: number }>;
  /** SIGKILLs every process still in the group (repeats until empty or a few rounds passed). */
  killAll(kill: (pid: number) => void): Promise<void>;
  /** Removes the directories (after killAll). Never throws. */
  remove(): Promise<void>;
}

/** Parses /proc/self/cgroup into controller → path ("" key for the v2 unified entry). */
export function parseProcCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const ctl of m[1]!.split(',')) out.set(ctl, m[2]!);
  }
  return out;
}

function counter(text: string, key: string): number {
  const m = new RegExp(`^${key}\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

const BYTES_PER_MB = 1024 * 1024;

/**
 * Creates a cgroup for one command.
 * @param name unique leaf name, e.g. `patchloop-<pid>-<n>`
 * @param limits `processes` (pids.max) and `memoryMb` (memory limit); either may be undefined
 * @returns null when no controller could be set up here
 */
export async function createCommandCgroup(
  name: string,
  limits: { processes?: number; memoryMb?: number },
  opts: { fs?: CgroupFs; root?: string; selfCgroup?: string } = {},
): Promise<CommandCgroup | null> {
  const cfs = opts.fs ?? realCgroupFs;
  const root = opts.root ?? '/sys/fs/cgroup';
  let self: Map<string, string>;
  try {
    self = parseProcCgroup(opts.selfCgroup ?? (await cfs.readFile('/proc/self/cgroup')));
  } catch {
    return null;
  }
  const dirs: string[] = [];
  const cleanup = async (): Promise<void> => {
    for (const d of dirs.reverse()) await cfs.rmdir(d).catch(() => undefined);
  };
  const v2 = await cfs.exists(path.join(root, 'cgroup.controllers'));
  try {
    if (v2) {
      const dir = path.join(root, self.get('') ?? '/', name);
      await cfs.mkdir(dir);
      dirs.push(dir);
      const has = async (f: string): Promise<boolean> => cfs.exists(path.join(dir, f));
      const pids = limits.processes !== undefined && (await has('pids.max'));
      const mem = limits.memoryMb !== undefined && (await has('memory.max'));
      if (pids) await cfs.writeFile(path.join(dir, 'pids.max'), String(limits.processes));
      if (mem) await cfs.writeFile(path.join(dir, 'memory.max'), String(limits.memoryMb! * BYTES_PER_MB));
      if (mem && (await has('memory.swap.max'))) await cfs.writeFile(path.join(dir, 'memory.swap.max'), '0');
      const procs = path.join(dir, 'cgroup.procs');
      return {
        procsFiles: [procs],
        enforces: { processes: pids, memory: mem },
        stats: async () => ({
          oomKills: mem ? counter(await cfs.readFile(path.join(dir, 'memory.events')).catch(() => ''), 'oom_kill') : 0,
          pidsMaxHits: pids ? counter(await cfs.readFile(path.join(dir, 'pids.events')).catch(() => ''), 'max') : 0,
        }),
        killAll: async (kill) => {
          // cgroup.kill (Linux ≥ 5.14) kills the whole group atomically, fork bombs included.
          if (await has('cgroup.kill')) await cfs.writeFile(path.join(dir, 'cgroup.kill'), '1').catch(() => undefined);
          await killLoop(cfs, [procs], kill);
        },
        remove: cleanup,
      };
    }
    const procsFiles: string[] = [];
    let pidsDir: string | undefined;
    let memDir: string | undefined;
    if (limits.processes !== undefined && self.has('pids') && (await cfs.exists(path.join(root, 'pids')))) {
      pidsDir = path.join(root, 'pids', self.get('pids')!, name);
      await cfs.mkdir(pidsDir);
      dirs.push(pidsDir);
      await cfs.writeFile(path.join(pidsDir, 'pids.max'), String(limits.processes));
      procsFiles.push(path.join(pidsDir, 'cgroup.procs'));
    }
    if (limits.memoryMb !== undefined && self.has('memory') && (await cfs.exists(path.join(root, 'memory')))) {
      memDir = path.join(root, 'memory', self.get('memory')!, name);
      await cfs.mkdir(memDir);
      dirs.push(memDir);
      await cfs.writeFile(path.join(memDir, 'memory.limit_in_bytes'), String(limits.memoryMb * BYTES_PER_MB));
      procsFiles.push(path.join(memDir, 'cgroup.procs'));
    }
    if (procsFiles.length === 0) return null;
    return {
      procsFiles,
      enforces: { processes: pidsDir !== undefined, memory: memDir !== undefined },
      stats: async () => ({
        oomKills: memDir ? counter(await cfs.readFile(path.join(memDir, 'memory.oom_control')).catch(() => ''), 'oom_kill') : 0,
        pidsMaxHits: pidsDir ? counter(await cfs.readFile(path.join(pidsDir, 'pids.events')).catch(() => ''), 'max') : 0,
      }),
      killAll: (kill) => killLoop(cfs, procsFiles, kill),
      remove: cleanup,
    };
  } catch {
    await cleanup();
    return null;
  }
}

/** Kills listed pids until the groups are empty; a fork bomb may add pids between rounds. */
async function killLoop(cfs: CgroupFs, procsFiles: string[], kill: (pid: number) => void): Promise<void> {
  for (let round = 0; round < 50; round++) {
    let seen = 0;
    for (const f of procsFiles) {
      const text = await cfs.readFile(f).catch(() => '');
      for (const line of text.split('\n')) {
        const pid = Number(line.trim());
        if (!pid) continue;
        seen++;
        try {
          kill(pid);
        } catch {
          /* already gone */
        }
      }
    }
    if (seen === 0) return;
    await new Promise((r) => setTimeout(r, round < 5 ? 1 : 10));
  }
}

/**
 * The launcher argv: a shell that joins the cgroups (race-free: the pid is in the group before the
 * command can fork), closes inherited descriptors, then execs `argv`. Exit 125 when a procs file
 * cannot be written.
 * @param bash absolute path of bash, or null. Closing descriptors needs it: dash cannot name fds
 *   above 9 (`exec 251>&-` fails), and the loop may inherit fds without close-on-exec from whatever
 *   started it (found here: fd 251, a pipe of the host's job runner, reached the sandboxed command).
 */
export function launcherArgv(procsFiles: string[], argv: string[], bash: string | null): string[] {
  if (procsFiles.length === 0 && bash === null) return argv;
  const n = procsFiles.length;
  const parts = procsFiles.map((_, i) => `echo $$ > "$${i + 1}" || exit 125`);
  if (bash !== null) parts.push('for p in /proc/$$/fd/*; do f=${p##*/}; if [ "$f" -gt 2 ]; then eval "exec $f>&-"; fi; done');
  if (n > 0) parts.push(`shift ${n}`);
  parts.push('exec "$@"');
  return [bash ?? '/bin/sh', '-c', parts.join('; '), 'patchloop-launcher', ...procsFiles, ...argv];
}
