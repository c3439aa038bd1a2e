/**
 * Pushing a run's commit with the token passed to that one git command only. The token travels as
 * an `http.extraHeader` set through git's environment config (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`,
 * git ≥ 2.31): it is never on the command line (visible in `ps`), never written to `.git/config`,
 * and scrubbed from any error text. Hooks stay off (the hardened `-c` settings of src/git/repo.ts).
 */
import { PatchloopError } from '../errors.ts';
import { HARDENED_GIT_CONFIG, simpleGitFactory } from '../git/repo.ts';

export interface PushOptions {
  /** Any working copy of the repository (the run's commit is in its object store). */
  repoDir: string;
  /** Remote name or URL, e.g. `origin`. */
  remote: string;
  /** Commit to push. */
  sha: string;
  /** Branch name on the remote, e.g. `patchloop/issue-12`. */
  branch: string;
  /** GitHub token; omitted for remotes that need none (file://). */
  token?: string;
  /** `replace`: force the tool-owned branch to `sha`; `append`: fast-forward only (someone else's branch). */
  mode: 'replace' | 'append';
  env?: Record<string, string | undefined>;
}

const PASSED_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Environment that makes git send `Authorization: Basic x-access-token:<token>` (GitHub's form for app/Actions tokens). */
export function tokenEnv(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`, GIT_CONFIG_KEY_1: 'credential.helper', GIT_CONFIG_VALUE_1: '' };
}

/** Replaces every form of `token` (raw, base64 header) in `text`. */
export function scrubToken(text: string, token: string | undefined): string {
  if (!token) return text;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return text.split(token).join('***').split(basic).join('***');
}

/**
 * Pushes `sha` to `refs/heads/<branch>` on `remote`.
 * @throws PatchloopError `push_failed` (exit 1) with git's message, token scrubbed — e.g. a
 *   non-fast-forward in `append` mode, or a token without `contents: write`.
 */
export async function pushCommit(o: PushOptions): Promise<void> {
  if (!/^[A-Za-z0-9._/-]+$/.test(o.branch) || o.branch.includes('..')) throw new PatchloopError('bad_branch', `branch "${o.branch}": only letters, digits, ".", "_", "-" and "/" are pushed`);
  const base = o.env ?? process.env;
  const env: Record<string, string> = {};
  // A short allowlist: no inherited GIT_* or editor/pager variables reach this git call.
  for (const k of PASSED_ENV) if (base[k] !== undefined) env[k] = base[k]!;
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', ...(o.token ? tokenEnv(o.token) : {}) });
  // hardenedGit's settings plus permission for the GIT_CONFIG_* variables that carry the header.
  const git = simpleGitFactory()({
    baseDir: o.repoDir, config: HARDENED_GIT_CONFIG, allowEnvironment: Object.keys(env).filter((k) => k.startsWith('GIT_')),
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeGpgProgram: true, allowUnsafeDiffExternal: true, allowUnsafeConfigEnvCount: true, allowUnsafeCredentialHelper: true },
  }).env(env);
  const args = ['push', '--quiet', '--no-verify', ...(o.mode === 'replace' ? ['--force'] : []), o.remote, `${o.sha}:refs/heads/${o.branch}`];
  try {
    await git.raw(args);
  } catch (err) {
    const msg = scrubToken((err as Error).message, o.token).trim();
    throw new PatchloopError('push_failed', `git push to ${o.remote} ${o.branch} failed: ${msg}${o.mode === 'append' ? ' (the branch moved since the failing commit? run ci-fix on its new head)' : ''}`);
  }
}
