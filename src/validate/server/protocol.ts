/**
 * The warm validation server's identity and wire format (issue 13). A server is one long-lived
 * patchloop process per repository, base commit and installed dependencies: it keeps the
 * validation pipeline of its own worktree warm (the repository's TypeScript program and ESLint
 * config in the sandboxed workers, ts-morph and the security rules on the host side), so a run
 * after the first on the same commit does not pay the cold start again — as eslint_d and tsserver
 * do for editors.
 *
 * Wire: JSON lines over a Unix socket in the per-user 0700 folder beside the worktrees
 * (`serversRoot()`). The bwrap sandbox covers that folder with an empty tmpfs (create.ts), so
 * repository code cannot reach a socket (a read-only mount does not stop connect()); another local
 * user cannot enter the folder.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EnvironmentError } from '../../errors.ts';
import { serversRoot } from '../../git/worktrees-root.ts';

/** Default idle lifetime of a server, ms: it exits (and removes its worktree) after this long without a run. */
export const DEFAULT_IDLE_MS = 10 * 60 * 1000;

/** What the client writes to the server's config file; the server's whole input. */
export const ServerConfigSchema = z.object({
  /** The user's checkout root (any worktree of the repository). */
  repoRoot: z.string(),
  /** The commit every session validates against (the server's worktree sits on it). */
  baseSha: z.string().regex(/^[0-9a-f]{40,64}$/),
  key: z.string().regex(/^[0-9a-f]{16}$/),
  backend: z.enum(['bwrap', 'process']),
  allowImports: z.array(z.string()).optional(),
  idleMs: z.number().int().positive(),
  socketPath: z.string(),
});
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

const Rel = z.string().min(1).max(4096);
/** Client → server. One session at a time; `run` and `prewarm` only inside a session. */
export const RequestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number(), op: z.literal('hello'), root: z.string() }),
  z.object({ id: z.number(), op: z.literal('prewarm') }),
  z.object({
    id: z.number(), op: z.literal('run'), touched: z.array(Rel),
    /** The session's changed files as they are in the run's worktree (null: deleted there). */
    files: z.record(Rel, z.string().nullable()),
    lastStopReason: z.string().optional(), autoFix: z.boolean().optional(),
  }),
  z.object({ id: z.number(), op: z.literal('stop') }),
  z.object({ id: z.number(), op: z.literal('info') }),
]);
export type Request = z.infer<typeof RequestSchema>;

/** Server → client for `hello`. `busy`: another run holds the session; validate locally. */
export const HelloAnswer = z.object({ busy: z.boolean(), worktree: z.string(), runsServed: z.number().int().nonnegative() });

/** Server → anyone for `info` (`patchloop validation-servers`, and a new server looking for ones it replaces). */
export const InfoAnswer = z.object({
  pid: z.number().int(), commonDir: z.string(), repoRoot: z.string(), baseSha: z.string(), worktree: z.string(),
  busy: z.boolean(), runsServed: z.number().int().nonnegative(), startedAt: z.string(), idleMs: z.number(),
});
export type ServerInfo = z.infer<typeof InfoAnswer> & { socketPath: string };

/** Server → client for `run`: the report, plus the text of each file an auto-fix changed. */
export const RunAnswer = z.object({ report: z.unknown(), fixed: z.record(Rel, z.string()) });

/**
 * {@link serversRoot}, created 0700 and checked to be this user's.
 * @throws EnvironmentError `servers_dir_unsafe` when it is not a private folder of this user.
 */
export function serversDir(env: Record<string, string | undefined> = process.env): string {
  const dir = serversRoot(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  // A folder planted by someone else in a shared /tmp would let them answer our validations.
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) {
    throw new EnvironmentError('servers_dir_unsafe', `${dir} is not a private folder of this user (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)}): remove it, or set XDG_RUNTIME_DIR to a private folder`);
  }
  return dir;
}

/** Files whose change means the installed dependencies changed (npm, pnpm, yarn markers). */
const INSTALL_MARKERS = ['', '.package-lock.json', '.modules.yaml', '.yarn-state.yml', '.yarn-integrity'];

/** mtimes of `<root>/node_modules` and its install markers: a reinstall changes the key. */
function dependencyFingerprint(repoRoot: string): string {
  const parts: string[] = [];
  for (const m of INSTALL_MARKERS) {
    try {
      const st = statSync(path.join(repoRoot, 'node_modules', m));
      parts.push(`${m}:${st.mtimeMs}:${st.size}`);
    } catch {
      parts.push(`${m}:-`);
    }
  }
  return parts.join('|');
}

/** The build stamp src/cli/build.mjs writes in dist/ (build-state.mjs `STAMP`). */
const STAMP = '.build-stamp';
let buildId: string | undefined;

/** This patchloop's build id (`buildIdOf` its own `src/` or `dist/` folder), computed once per process. */
function patchloopBuild(): string {
  return (buildId ??= buildIdOf(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')));
}

/**
 * Which patchloop `top` (a `src/` or `dist/` folder) is, so a rebuilt or edited patchloop never
 * talks to a server running older code. A built `dist/`: its build stamp's mtime, ctime and inode
 * (src/cli/build.mjs writes a new stamp every build), one stat. Else (running from source: tsx,
 * tests; or an unstamped dist/, which the launcher refuses): a hash of name, size and mtime of every
 * file under `top`, ~300 stats. Walking dist/ cost ~10 ms of a run's critical path (2 cores, 2026-12-03).
 */
export function buildIdOf(top: string): string {
  if (path.basename(top) === 'dist') {
    try {
      const st = statSync(path.join(top, STAMP));
      return `dist:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
    } catch {
      // no stamp: hash the files
    }
  }
  const h = createHash('sha256');
  for (const e of readdirSync(top, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const f = path.join(e.parentPath ?? e.path, e.name);
    const st = statSync(f);
    h.update(`${path.relative(top, f)}:${st.size}:${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/**
 * The server a run may share: same repository (git common dir), base commit, installed
 * dependencies, patchloop build, Node, sandbox backend and validation options. 16 hex characters.
 */
export function serverKey(o: { commonDir: string; repoRoot: string; baseSha: string; backend: string; allowImports?: string[] }): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([o.commonDir, o.baseSha, o.backend, o.allowImports ?? null, dependencyFingerprint(o.repoRoot), patchloopBuild(), process.version]));
  return h.digest('hex').slice(0, 16);
}

/** A repo-relative path a session may write in the server's worktree: not absolute, no `..`, nothing in `.git`. */
export function safeRel(rel: string): boolean {
  const parts = rel.split('/');
  return !path.isAbsolute(rel) && !rel.includes('\\') && !rel.includes('\0') && parts.every((p) => p !== '' && p !== '.' && p !== '..' && p !== '.git');
}
