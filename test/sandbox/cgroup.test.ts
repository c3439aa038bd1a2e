import { describe, expect, it } from 'vitest';
import { createCommandCgroup, launcherArgv, parseProcCgroup, type CgroupFs } from '../../src/sandbox/cgroup.ts';

/** In-memory cgroupfs: a set of dirs and a map of files. */
function fakeFs(dirs: string[], files: Record<string, string> = {}): CgroupFs & { files: Map<string, string>; dirs: Set<string> } {
  const d = new Set(dirs);
  const f = new Map(Object.entries(files));
  return {
    files: f,
    dirs: d,
    readFile: async (p) => {
      if (!f.has(p)) throw new Error(`ENOENT ${p}`);
      return f.get(p)!;
    },
    writeFile: async (p, data) => void f.set(p, data),
    mkdir: async (p) => {
      if (d.has(p)) throw new Error(`EEXIST ${p}`);
      d.add(p);
    },
    rmdir: async (p) => void d.delete(p),
    exists: async (p) => d.has(p) || f.has(p),
  };
}

const V1_SELF = '9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n0::/\n';

describe('parseProcCgroup', () => {
  it('maps each controller to its path, and "" to the v2 entry', () => {
    const m = parseProcCgroup('5:cpu,cpuacct:/a\n8:pids:/\n0::/user.slice\n');
    expect([m.get('cpu'), m.get('cpuacct'), m.get('pids'), m.get('')]).toEqual(['/a', '/a', '/', '/user.slice']);
  });
});

describe('createCommandCgroup (v1)', () => {
  it('creates pids and memory groups below the loop own cgroups and sets the limits', async () => {
    const cfs = fakeFs(['/cg/pids', '/cg/memory', '/cg/memory/process_api/abc']);
    const cg = await createCommandCgroup('pl-1', { processes: 64, memoryMb: 512 }, { fs: cfs, root: '/cg', selfCgroup: V1_SELF });
    expect(cg?.enforces).toEqual({ processes: true, memory: true });
    expect(cfs.files.get('/cg/pids/pl-1/pids.max')).toBe('64');
    expect(cfs.files.get('/cg/memory/process_api/abc/pl-1/memory.limit_in_bytes')).toBe(String(512 * 1024 * 1024));
    expect(cg?.procsFiles).toEqual(['/cg/pids/pl-1/cgroup.procs', '/cg/memory/process_api/abc/pl-1/cgroup.procs']);
  });

  it('reads OOM kills and refused forks from the event files', async () => {
    const cfs = fakeFs(['/cg/pids', '/cg/memory'], {
      '/cg/pids/pl-2/pids.events': 'max 7\n',
      '/cg/memory/process_api/abc/pl-2/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    });
    const cg = await createCommandCgroup('pl-2', { processes: 64, memoryMb: 512 }, { fs: cfs, root: '/cg', selfCgroup: V1_SELF });
    expect(await cg!.stats()).toEqual({ oomKills: 2, pidsMaxHits: 7 });
  });

  it('kills every listed pid and removes its directories', async () => {
    const cfs = fakeFs(['/cg/pids']);
    const cg = await createCommandCgroup('pl-3', { processes: 8 }, { fs: cfs, root: '/cg', selfCgroup: V1_SELF });
    cfs.files.set('/cg/pids/pl-3/cgroup.procs', '101\n102\n');
    const killed: number[] = [];
    await cg!.killAll((pid) => {
      killed.push(pid);
      cfs.files.set('/cg/pids/pl-3/cgroup.procs', '');
    });
    expect(killed).toEqual([101, 102]);
    await cg!.remove();
    expect(cfs.dirs.has('/cg/pids/pl-3')).toBe(false);
  });

  it('returns null (limits unenforced) when nothing can be created', async () => {
    const cfs = fakeFs([]);
    expect(await createCommandCgroup('pl-4', { processes: 8, memoryMb: 64 }, { fs: cfs, root: '/cg', selfCgroup: V1_SELF })).toBeNull();
  });
});

describe('createCommandCgroup (v2)', () => {
  it('uses pids.max / memory.max in one group below the loop cgroup', async () => {
    const cfs = fakeFs(['/cg'], { '/cg/cgroup.controllers': 'pids memory', '/cg/user/pl-5/pids.max': 'max', '/cg/user/pl-5/memory.max': 'max' });
    const cg = await createCommandCgroup('pl-5', { processes: 32, memoryMb: 1 }, { fs: cfs, root: '/cg', selfCgroup: '0::/user\n' });
    expect(cg?.procsFiles).toEqual(['/cg/user/pl-5/cgroup.procs']);
    expect([cfs.files.get('/cg/user/pl-5/pids.max'), cfs.files.get('/cg/user/pl-5/memory.max')]).toEqual(['32', String(1024 * 1024)]);
  });
});

describe('launcherArgv', () => {
  it('joins each group, closes inherited fds with bash, then execs the command', () => {
    expect(launcherArgv(['/a/cgroup.procs', '/b/cgroup.procs'], ['bwrap', 'x'], '/bin/bash')).toEqual([
      '/bin/bash',
      '-c',
      'echo $$ > "$1" || exit 125; echo $$ > "$2" || exit 125; for p in /proc/$$/fd/*; do f=${p##*/}; if [ "$f" -gt 2 ]; then eval "exec $f>&-"; fi; done; shift 2; exec "$@"',
      'patchloop-launcher',
      '/a/cgroup.procs',
      '/b/cgroup.procs',
      'bwrap',
      'x',
    ]);
  });
  it('without bash uses sh and leaves fds alone; with nothing to do returns argv', () => {
    expect(launcherArgv(['/a/cgroup.procs'], ['true'], null)).toEqual(['/bin/sh', '-c', 'echo $$ > "$1" || exit 125; shift 1; exec "$@"', 'patchloop-launcher', '/a/cgroup.procs', 'true']);
    expect(launcherArgv([], ['true'], null)).toEqual(['true']);
  });
});
