/**
 * One hardened git command, spawned directly: for the calls on a run's critical path (opening the
 * repository, the worktree, the repair prompt's diff, the commit, the patch). simple-git (4.0.2)
 * waits 50 ms after every command that printed nothing before it resolves (`git add -A`,
 * `commit --quiet`, `worktree add --quiet`): about 100–150 ms of every run's wall time went there.
 * Same argv as `hardenedGit` (repo.ts): setsid, then the `-c` settings that switch off hooks,
 * fsmonitor, gpg and external diff.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** `-c` settings applied to every git call patchloop makes. */
export const HARDENED_GIT_CONFIG = [
  'core.hooksPath=/dev/null', // no hook runs on our commits/checkouts
  'core.fsmonitor=false', // no fsmonitor helper program
  'commit.gpgsign=false', // no gpg program
  'diff.external=', // no external diff program
];

/**
 * git runs in a session of its own (`setsid`, util-linux) so a Ctrl-C meant for patchloop does not
 * kill a git command half-way and leave an `index.lock` behind; patchloop decides when to stop.
 */
export const GIT_BINARY: string | [string, string] = existsSync('/usr/bin/setsid') ? ['/usr/bin/setsid', 'git'] : 'git';

/** A git command that could not start or exited non-zero; the message is git's stderr (or the spawn error). */
export class GitCommandError extends Error {
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Runs `git <hardened -c settings> <args>` in `dir` and resolves with its stdout once it has exited
 * and its output is closed.
 * @throws GitCommandError when git cannot start or exits non-zero (message: stderr, else the exit status)
 */
export function runGit(dir: string, args: string[]): Promise<string> {
  const [bin, ...pre] = typeof GIT_BINARY === 'string' ? [GIT_BINARY] : GIT_BINARY;
  const argv = [...pre, ...HARDENED_GIT_CONFIG.flatMap((c) => ['-c', c]), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(bin!, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitCommandError(`${bin} ${args[0] ?? ''}: ${e.message}`, null)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const stderr = Buffer.concat(err).toString('utf8').trim();
      reject(new GitCommandError(stderr || `git ${args.join(' ')} ${signal ? `killed by ${signal}` : `exited ${code}`}`, code));
    });
  });
}
