import { describe, expect, it } from 'vitest';
import { buildBwrapArgs, type BwrapPolicy } from '../../src/sandbox/bwrap-args.ts';

const base: BwrapPolicy = {
  cwd: '/work/wt',
  privateTmp: '/tmp/patchloop-sbx-1',
  maskedDirs: [],
  readOnlyPaths: ['/repo/node_modules'],
  replacedFiles: [],
  overlayPaths: [],
  hiddenDirs: ['/home/u/.ssh'],
  hiddenFiles: ['/home/u/.npmrc'],
  network: false,
  sandboxUid: 65534,
  sandboxGid: 65534,
  env: { PATH: '/usr/bin', HOME: '/tmp/home' },
  argv: ['/bin/sh', '-c', 'npm test'],
};

/** Index of the flag sequence `seq` in `args`, or -1. */
function find(args: string[], ...seq: string[]): number {
  return args.findIndex((_, i) => seq.every((s, j) => args[i + j] === s));
}

describe('buildBwrapArgs', () => {
  it('mounts the system read-only and only the worktree and private tmp writable', () => {
    const args = buildBwrapArgs(base);
    expect(find(args, '--ro-bind', '/', '/')).toBe(0);
    expect(find(args, '--bind', '/tmp/patchloop-sbx-1', '/tmp')).toBeGreaterThan(0);
    expect(find(args, '--bind', '/work/wt', '/work/wt')).toBeGreaterThan(0);
    const writable = args.flatMap((a, i) => (a === '--bind' ? [args[i + 2]] : []));
    expect(writable).toEqual(['/tmp', '/work/wt']);
    expect(find(args, '--chdir', '/work/wt')).toBeGreaterThan(0);
  });

  it('re-exposes dependencies after replacing /tmp, and hides credentials', () => {
    const args = buildBwrapArgs(base);
    expect(find(args, '--ro-bind', '/repo/node_modules', '/repo/node_modules')).toBeGreaterThan(find(args, '--bind', '/tmp/patchloop-sbx-1', '/tmp'));
    expect(find(args, '--tmpfs', '/home/u/.ssh', '--remount-ro', '/home/u/.ssh')).toBeGreaterThan(0);
    expect(find(args, '--ro-bind', '/dev/null', '/home/u/.npmrc')).toBeGreaterThan(0);
  });

  it('unshares network unless asked, and always pid/user/ipc with a new session', () => {
    const args = buildBwrapArgs(base);
    for (const flag of ['--unshare-net', '--unshare-pid', '--unshare-ipc', '--die-with-parent', '--new-session', '--disable-userns', '--clearenv']) {
      expect(args).toContain(flag);
    }
    expect(find(args, '--unshare-user', '--uid', '65534', '--gid', '65534')).toBeGreaterThan(0);
    expect(buildBwrapArgs({ ...base, network: true })).not.toContain('--unshare-net');
  });

  it('sets only the given environment, and ends with the command after --', () => {
    const args = buildBwrapArgs(base);
    const names = args.flatMap((a, i) => (a === '--setenv' ? [args[i + 1]] : []));
    expect(names).toEqual(['PATH', 'HOME']);
    expect(find(args, '--clearenv')).toBeLessThan(find(args, '--setenv'));
    expect(args.slice(-4)).toEqual(['--', '/bin/sh', '-c', 'npm test']);
  });

  it('rejects relative paths and an empty command', () => {
    expect(() => buildBwrapArgs({ ...base, cwd: 'wt' })).toThrow(/absolute/);
    expect(() => buildBwrapArgs({ ...base, argv: [] })).toThrow(/argv is empty/);
  });

  it("masks the user's checkout around the worktree, binds git metadata back read-only, then locks the masks", () => {
    const wt = '/home/u/repo/.git/patchloop/worktrees/r1';
    const args = buildBwrapArgs({
      ...base,
      cwd: wt,
      maskedDirs: ['/home/u/repo', '/home/u/other-wt'],
      readOnlyPaths: [`${wt}/.git`, '/home/u/repo/.git/objects'],
      replacedFiles: [{ source: '/tmp/patchloop-layer-1/gitconfig', dest: '/home/u/repo/.git/config' }],
      overlayPaths: ['/home/u/repo/node_modules'],
    });
    const mask = find(args, '--tmpfs', '/home/u/repo');
    const worktree = find(args, '--bind', wt, wt);
    expect(mask).toBeGreaterThan(0);
    expect(find(args, '--tmpfs', '/home/u/other-wt')).toBeGreaterThan(0);
    expect(worktree).toBeGreaterThan(mask);
    const objects = find(args, '--ro-bind', '/home/u/repo/.git/objects', '/home/u/repo/.git/objects');
    const config = find(args, '--ro-bind', '/tmp/patchloop-layer-1/gitconfig', '/home/u/repo/.git/config');
    const nm = find(args, '--bind', '/home/u/repo/node_modules', '/home/u/repo/node_modules');
    const lock = find(args, '--remount-ro', '/home/u/repo');
    expect(objects).toBeGreaterThan(worktree);
    expect(config).toBeGreaterThan(objects);
    expect(nm).toBeGreaterThan(config);
    expect(lock).toBeGreaterThan(nm);
    expect(find(args, '--remount-ro', '/home/u/other-wt')).toBeGreaterThan(nm);
  });

  it("masks inside the cwd (a checkout's own .git) only after the cwd is bound", () => {
    const args = buildBwrapArgs({ ...base, cwd: '/home/u/repo', maskedDirs: ['/home/u/repo/.git'], readOnlyPaths: ['/home/u/repo/.git/objects'] });
    const cwd = find(args, '--bind', '/home/u/repo', '/home/u/repo');
    const mask = find(args, '--tmpfs', '/home/u/repo/.git');
    expect(mask).toBeGreaterThan(cwd);
    expect(find(args, '--ro-bind', '/home/u/repo/.git/objects', '/home/u/repo/.git/objects')).toBeGreaterThan(mask);
  });
});
