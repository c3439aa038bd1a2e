/**
 * The cache behind `repo.url`: one bare repository per normalised URL under
 * `<state>/repos/<host>/<owner>/<name>.git`, filled by the first job and refreshed by later ones,
 * and one detached working copy per commit beside it (`<name>.checkouts/<sha>`) that runs start from.
 *
 * Design, smallest that is correct:
 * - `runTask` needs a working tree (`openRepo` asks git for `--show-toplevel`, which a bare repository
 *   has none of), and it makes the run's worktree and `patchloop/<run-id>` branch from that working
 *   tree's HEAD. A working copy per *commit* (`git worktree add --detach` of the mirror) is immutable,
 *   so jobs on different refs never move a shared HEAD under each other, and jobs on the same commit
 *   share it. Runs' branches and worktrees then live in the mirror (its common dir).
 * - Hence not `git clone --mirror`: a mirror's `+refs/*:refs/*` refspec with `--prune` would delete
 *   the runs' `patchloop/*` branches on the next fetch, and the remote could overwrite them. The
 *   first job runs `git init --bare` and every job the same `git fetch --prune` into namespaced refs
 *   (`refs/remotes/origin/*`, `refs/tags/*`, the remote HEAD at `refs/patchloop/remote-HEAD`); the
 *   URL is passed on the command line and never stored (no remote config, no credentials on disk).
 * - The fetch is the only step with network: it runs in the sandbox (`network: true`) with hooks off,
 *   no credential helper or prompt, only the https/ssh transports (http for allowed hosts), objects
 *   fsck-checked, no submodules, a timeout and an output cap. Host-side git calls (rev-parse,
 *   worktree add) use the hardened config plus `info/attributes` `* -filter`, so no filter driver a
 *   host config defines (git-lfs, or worse) runs on the repository's content.
 * - One lock per mirror (proper-lockfile, a lock folder with a refreshed mtime, stale after a minute),
 *   so two workers — threads of one server or `patchloop worker` processes on one machine — never
 *   fetch the same mirror at once.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import lockfile from 'proper-lockfile';
import { EnvironmentError } from '../errors.ts';
import { hardenedGit } from '../git/repo.ts';
import { withWorktreeLock } from '../git/worktree.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { scrubUrl, type RepoUrl } from './repo-url.ts';

export interface RepoCacheOptions {
  /** The service's state folder; the cache is `<stateDir>/repos`. */
  stateDir: string;
  /** Runs the network step (the service's sandbox). */
  sandbox: Sandbox;
  /** Wall-clock limit of one clone or fetch, ms (default {@link DEFAULT_FETCH_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Default limit of one clone or fetch: 10 min, as the `--setup` step (a large repository over a slow link fits). */
export const DEFAULT_FETCH_TIMEOUT_MS = 10 * 60_000;
/** Captured git output kept per fetch, bytes: enough for its error, never a flood. */
const FETCH_OUTPUT_BYTES = 64 * 1024;
/** The remote's HEAD (the default ref), outside the pruned namespaces. */
const REMOTE_HEAD = 'refs/patchloop/remote-HEAD';
/** How often a job waiting for a mirror's lock looks again, ms. */
const LOCK_POLL_MS = 250;
/** Written into the mirror after each fetch: when it was cloned and how often fetched. */
const MARKER = 'patchloop-cache.json';

export interface CacheMarker {
  /** Normalised URL (the mirror's key). */
  key: string;
  clonedAt: string;
  fetchedAt: string;
  fetches: number;
}

export interface PreparedRepo {
  /** Detached working copy at `commit`: what `runTask` gets as its repository. */
  checkout: string;
  commit: string;
  mirror: string;
  /** `clone` when this job created the mirror, `fetch` when it refreshed an existing one. */
  fetched: 'clone' | 'fetch';
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What a mirror fetches: the remote's HEAD, its branches and tags, into namespaced refs. */
const MIRROR_REFSPECS = [`+HEAD:${REMOTE_HEAD}`, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'];

/** The sandboxed fetch's command line: every setting that keeps it to "download objects" (git-config(1), git 2.39); `[sha]` fetches one commit's objects. */
export function fetchCommand(u: RepoUrl, refspecs: readonly string[] = MIRROR_REFSPECS): string {
  const config = [
    'protocol.allow=never', // every transport off...
    'protocol.https.allow=always', // ...but https
    'protocol.ssh.allow=always', // ...and ssh
    ...(u.scheme === 'http' ? ['protocol.http.allow=always', 'http.followRedirects=false'] : []), // an allowed internal host, no redirect elsewhere
    'core.hooksPath=/dev/null', // no hook (reference-transaction, post-*) runs
    'credential.helper=', // no stored credentials offered
    'core.askPass=', // no password prompt program
    'transfer.fsckObjects=true', // malformed objects (path tricks in trees, .gitmodules) refused
    'fetch.recurseSubmodules=false', // submodules are never fetched
    'submodule.recurse=false',
    'gc.auto=0', // no gc inside the time limit; runs' objects stay
    'maintenance.auto=false',
  ];
  return ['git', ...config.flatMap((c) => ['-c', quote(c)]), 'fetch', '--quiet', '--prune', '--no-tags', '--no-write-fetch-head', '--end-of-options', quote(u.url), ...refspecs.map(quote)].join(' ');
}

/** Environment of the fetch: no prompts, no system or global config, ssh without a terminal. */
const FETCH_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  // No user ssh config (-F: ssh reads the passwd entry's home, not $HOME), no prompt, host keys kept in the command's private tmp.
  GIT_SSH_COMMAND: 'ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="$TMPDIR/known_hosts"',
};

/**
 * Runs {@link fetchCommand} in the sandbox with network (never on the host) into the git directory
 * `gitDir`, its cwd; `shownAs` names it in messages.
 * @throws EnvironmentError `repo_fetch_timeout`, `repo_fetch_failed` (git's last lines, URL credentials scrubbed), each naming the fix.
 */
export async function sandboxedFetch(o: { sandbox: Sandbox; url: RepoUrl; gitDir: string; refspecs?: readonly string[]; timeoutMs: number; shownAs?: string }): Promise<void> {
  const r = await o.sandbox.run({ command: fetchCommand(o.url, o.refspecs), cwd: o.gitDir, env: { ...FETCH_ENV, GIT_DIR: o.gitDir }, timeoutMs: o.timeoutMs, maxOutputBytes: FETCH_OUTPUT_BYTES, network: true });
  const shown = scrubUrl(o.url.url);
  if (r.reason === 'timeout') {
    throw new EnvironmentError('repo_fetch_timeout', `fetching ${shown} took longer than ${Math.round(o.timeoutMs / 1000)} s and was stopped: check that the host answers, or raise --git-timeout for a large repository`);
  }
  if (r.reason !== 'exit' || r.exitCode !== 0) {
    const tail = scrubUrl(r.output).trim().split('\n').slice(-4).join(' | ').slice(-600);
    throw new EnvironmentError('repo_fetch_failed', `could not fetch ${shown} into ${o.shownAs ?? o.gitDir} (${r.reason}, exit ${r.exitCode}): ${tail || 'no output'}. Check that the URL is right, the repository is public (no credentials are sent) and this server can reach the host`);
  }
}

export class RepoCache {
  private readonly root: string;
  /** Wall-clock limit of one clone or fetch, ms. */
  readonly timeoutMs: number;

  constructor(private readonly o: RepoCacheOptions) {
    this.root = path.join(o.stateDir, 'repos');
    this.timeoutMs = o.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  }

  /** The mirror's folder for `u`. */
  mirrorOf(u: RepoUrl): string {
    return path.join(this.root, u.mirrorPath);
  }

  /**
   * Clones or fetches `u`, resolves `ref` (default: the remote's HEAD) to a commit and returns the
   * working copy at that commit.
   * @throws EnvironmentError `repo_fetch_failed` (unreachable, refused, not a repository),
   *   `repo_fetch_timeout`, `unknown_ref`, `repo_cache_lock` — each naming the URL and the fix.
   */
  async prepare(u: RepoUrl, ref?: string): Promise<PreparedRepo> {
    const mirror = this.mirrorOf(u);
    mkdirSync(path.dirname(mirror), { recursive: true });
    return this.withLock(mirror, u, async () => {
      const fetched = existsSync(path.join(mirror, MARKER)) ? 'fetch' : 'clone';
      if (fetched === 'clone') await this.clone(u, mirror);
      else await this.fetch(u, mirror, mirror);
      this.mark(u, mirror);
      const commit = await this.resolve(u, mirror, ref);
      return { checkout: await this.checkout(mirror, commit), commit, mirror, fetched };
    });
  }

  /** First job: an empty bare repository in a temp folder, fetched into, renamed into place when complete. */
  private async clone(u: RepoUrl, mirror: string): Promise<void> {
    const tmp = `${mirror}.tmp-${randomBytes(4).toString('hex')}`;
    // A folder without a marker, or a temp folder, is a clone that died half-way (we hold the lock).
    for (const name of readdirSync(path.dirname(mirror))) {
      if (name === path.basename(mirror) || name.startsWith(`${path.basename(mirror)}.tmp-`)) rmSync(path.join(path.dirname(mirror), name), { recursive: true, force: true });
    }
    mkdirSync(tmp, { recursive: true });
    try {
      await hardenedGit(tmp).raw(['init', '--bare', '--quiet', tmp]);
      await this.fetch(u, tmp, mirror);
      renameSync(tmp, mirror);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  private async fetch(u: RepoUrl, gitDir: string, mirror: string): Promise<void> {
    await sandboxedFetch({ sandbox: this.o.sandbox, url: u, gitDir, shownAs: mirror, timeoutMs: this.timeoutMs });
    // Re-asserted after every fetch: host-side checkouts and `git add` run no filter driver.
    mkdirSync(path.join(gitDir, 'info'), { recursive: true });
    writeFileSync(path.join(gitDir, 'info', 'attributes'), '* -filter\n');
  }

  private mark(u: RepoUrl, mirror: string): void {
    const file = path.join(mirror, MARKER);
    const now = new Date().toISOString();
    const prev = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CacheMarker) : undefined;
    const next: CacheMarker = { key: u.mirrorPath, clonedAt: prev?.clonedAt ?? now, fetchedAt: now, fetches: (prev?.fetches ?? 0) + 1 };
    writeFileSync(`${file}.tmp`, JSON.stringify(next));
    renameSync(`${file}.tmp`, file);
  }

  /** Branch, then tag, then commit id (hex); none given: the remote's HEAD. */
  private async resolve(u: RepoUrl, mirror: string, ref: string | undefined): Promise<string> {
    const git = hardenedGit(mirror);
    const candidates = ref === undefined ? [REMOTE_HEAD] : [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ...(/^[0-9a-f]{7,64}$/i.test(ref) ? [ref] : [])];
    for (const c of candidates) {
      const sha = (await git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${c}^{commit}`]).catch(() => '')).trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    }
    throw new EnvironmentError(
      'unknown_ref',
      ref === undefined
        ? `${scrubUrl(u.url)} has no default branch (its HEAD names no commit): submit repo.ref naming a branch, tag or commit`
        : `repo.ref "${ref}" is not a branch, tag or commit of ${scrubUrl(u.url)} (fetched just now): name an existing branch, tag or a commit reachable from one`,
    );
  }

  /** The detached working copy at `commit`, made once (a half-made one, without its ready marker, is redone). */
  private async checkout(mirror: string, commit: string): Promise<string> {
    const dir = path.join(`${mirror.replace(/\.git$/, '')}.checkouts`, commit);
    const ready = `${dir}.ready`;
    if (existsSync(ready)) return dir;
    const git = hardenedGit(mirror);
    if (existsSync(dir)) await git.raw(['worktree', 'remove', '--force', dir]).catch(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.dirname(dir), { recursive: true });
    // Runs add their worktrees to the same repository: the same lock as theirs (see worktree.ts).
    await withWorktreeLock(realpathSync(mirror), async () => {
      await git.raw(['worktree', 'prune']);
      await git.raw(['-c', 'submodule.recurse=false', 'worktree', 'add', '--detach', '--quiet', dir, commit]);
    });
    writeFileSync(ready, `${commit}\n`);
    return dir;
  }

  /** Holds the mirror's lock around `fn`; waits as long as one fetch may take. */
  private async withLock<T>(mirror: string, u: RepoUrl, fn: () => Promise<T>): Promise<T> {
    let release: () => Promise<void>;
    const waitMs = this.timeoutMs + 60_000;
    try {
      release = await lockfile.lock(mirror, {
        lockfilePath: `${mirror}.lock`, realpath: false, stale: 60_000, update: 10_000,
        retries: { retries: Math.ceil(waitMs / LOCK_POLL_MS), factor: 1, minTimeout: LOCK_POLL_MS, maxTimeout: LOCK_POLL_MS },
        onCompromised: () => {}, // the fetch ends on its own timeout; a stolen lock only risks a redundant fetch
      });
    } catch (err) {
      throw new EnvironmentError('repo_cache_lock', `the cache of ${scrubUrl(u.url)} stayed locked for ${Math.round(waitMs / 1000)} s (${(err as Error).message}): if no patchloop is fetching it, remove ${mirror}.lock`, err);
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => {});
    }
  }
}

/** Inode and marker of a mirror (tests and diagnostics: a re-created mirror has a new inode). */
export function mirrorIdentity(mirror: string): { inode: number; marker: CacheMarker } {
  return { inode: statSync(mirror).ino, marker: JSON.parse(readFileSync(path.join(mirror, MARKER), 'utf8')) as CacheMarker };
}
