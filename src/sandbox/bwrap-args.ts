/**
 * Pure builder for the bubblewrap command line (one comment per flag, in the manner of gemini-cli's
 * `bwrapArgsBuilder`). No I/O here: existence checks and temp dirs are decided by the caller, so the
 * policy can be tested as data. Flag meanings: bwrap(1), bubblewrap 0.8.0 (Debian 12), checked 2026-11.
 */

export interface BwrapPolicy {
  /** The run's worktree (absolute): bound read-write at the same path and used as the cwd. */
  cwd: string;
  /** Host dir bound read-write at /tmp: fresh per command, removed afterwards. */
  privateTmp: string;
  /**
   * The user's checkout, its git dir and other worktrees (see checkout-mounts.ts): each covered by
   * an empty tmpfs, made read-only once the paths below are bound back into it.
   */
  maskedDirs: string[];
  /**
   * Host paths bound read-only after the worktree: the worktree's `.git` and the git metadata git
   * needs, and node_modules when no writable layer could be set up.
   */
  readOnlyPaths: string[];
  /** Host files bound read-only over other paths, e.g. the reduced git config over the real one. */
  replacedFiles: { source: string; dest: string }[];
  /**
   * Paths bound read-write last: node_modules dirs that the launcher has covered with a throwaway
   * overlay in the namespace bwrap starts from (node-modules-layer.ts). Never a real host dir.
   */
  overlayPaths: string[];
  /** Existing credential dirs to cover with an empty tmpfs. */
  hiddenDirs: string[];
  /** Existing credential files to cover with /dev/null. */
  hiddenFiles: string[];
  /** Allow network (the `--setup` step only). */
  network: boolean;
  /**
   * Run as this uid/gid inside a new user namespace. As root this is what drops capabilities:
   * without a user namespace bwrap keeps root's full capability set (checked here: CapEff 1fffeffffff).
   */
  sandboxUid: number;
  sandboxGid: number;
  /** The child's complete environment (the builder emits --clearenv first). */
  env: Record<string, string>;
  /** argv to exec inside, e.g. `['/usr/bin/prlimit', '--cpu=60', '--', '/bin/sh', '-c', cmd]`. */
  argv: string[];
}

function partition<T>(xs: T[], pred: (x: T) => boolean): [T[], T[]] {
  return [xs.filter(pred), xs.filter((x) => !pred(x))];
}

/** True when `p` is `dir` or below it. */
export function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * Builds bwrap's argv (without the leading `bwrap`).
 * @throws Error when cwd/privateTmp are not absolute or argv is empty (a programming error, not input).
 */
export function buildBwrapArgs(policy: BwrapPolicy): string[] {
  if (!policy.cwd.startsWith('/') || !policy.privateTmp.startsWith('/')) {
    throw new Error('buildBwrapArgs: cwd and privateTmp must be absolute paths');
  }
  if (policy.argv.length === 0) throw new Error('buildBwrapArgs: argv is empty');
  const args: string[] = [];
  const add = (...a: string[]): void => void args.push(...a);

  // Whole host filesystem read-only: tools, node, the user's original repository all unwritable.
  add('--ro-bind', '/', '/');
  // Minimal fresh /dev (null, zero, random, tty…) instead of the host's devices.
  add('--dev', '/dev');
  // /proc of the new pid namespace: host processes are invisible.
  add('--proc', '/proc');
  // Private /tmp (fresh host dir): hides host /tmp and its sockets, writes vanish with the step.
  add('--bind', policy.privateTmp, '/tmp');
  // /var/tmp too, so "persistent" temp files cannot reach the host either.
  add('--tmpfs', '/var/tmp');
  // /run holds service sockets (docker, dbus, ssh-agent); ro mounts do not stop connect() on sockets.
  if (!isUnder(policy.cwd, '/run')) add('--tmpfs', '/run');
  // Credentials: empty tmpfs over directories, remounted read-only so nothing can be planted there.
  for (const dir of policy.hiddenDirs) add('--tmpfs', dir, '--remount-ro', dir);
  // Credential files read as empty.
  for (const file of policy.hiddenFiles) add('--ro-bind', '/dev/null', file);
  // The user's checkout and git dir (the worktree usually lives inside them): empty, so .env,
  // untracked files, .git/config, other worktrees and traces cannot be read. Masks around the
  // worktree go before it is bound, masks inside it (a checkout's own .git) after.
  const [inside, around] = partition(policy.maskedDirs, (d) => isUnder(d, policy.cwd));
  for (const dir of around) add('--tmpfs', dir);
  // The worktree is the only writable host path (bound after the masks so it wins over them).
  add('--bind', policy.cwd, policy.cwd);
  for (const dir of inside) add('--tmpfs', dir);
  // Git metadata (and node_modules without a layer), reachable under the masks: read-only.
  for (const p of policy.readOnlyPaths) add('--ro-bind', p, p);
  // An empty config in place of the real one (remote URLs with tokens, hooks paths, fsmonitor).
  for (const f of policy.replacedFiles) add('--ro-bind', f.source, f.dest);
  // node_modules through its throwaway overlay: writable, the real tree untouched.
  for (const p of policy.overlayPaths) add('--bind', p, p);
  // Nothing can be planted in the masks (mounts bound into them above stay as they are).
  for (const dir of policy.maskedDirs) add('--remount-ro', dir);
  // Start in the worktree.
  add('--chdir', policy.cwd);
  // New user namespace, so the child holds no capabilities over the host (see sandboxUid).
  add('--unshare-user', '--uid', String(policy.sandboxUid), '--gid', String(policy.sandboxGid));
  // ...and cannot create nested user namespaces to regain capabilities.
  add('--disable-userns');
  // Own pid namespace: killing bwrap (or its pid 1 exiting) kills every descendant, setsid or not.
  add('--unshare-pid');
  // No System V IPC / POSIX message queues shared with the host.
  add('--unshare-ipc');
  // Own hostname, own cgroup view.
  add('--unshare-uts', '--unshare-cgroup-try');
  // No network at all (only loopback inside a fresh namespace) unless the step asked for it.
  if (!policy.network) add('--unshare-net');
  // If the loop dies, the sandbox dies with it.
  add('--die-with-parent');
  // setsid(): no controlling terminal, so TIOCSTI keystroke injection into the user's shell fails.
  add('--new-session');
  // Environment rebuilt from the allowlist only.
  add('--clearenv');
  for (const [name, value] of Object.entries(policy.env)) add('--setenv', name, value);
  // End of options: the command follows.
  add('--', ...policy.argv);
  return args;
}
