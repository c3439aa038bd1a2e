/**
 * What of the user's checkout a sandboxed command may see. A run's worktree lives inside the
 * checkout's git dir (`<repo>/.git/patchloop/worktrees/<id>`), so a read-only `/` would expose
 * `<repo>/.env`, untracked files, `.git/config` (remote URLs with tokens), other worktrees and the
 * trace folder. The checkout and its git dir are covered with an empty tmpfs; only what git needs
 * in the worktree comes back, read-only, with a config reduced to the format keys.
 * Reads a few small files (`.git`, `commondir`, `gitdir`, `config`); the layout of git worktrees
 * follows git-worktree(1) ("DETAILS"), checked against git 2.39 (Debian 12), 2026-12.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isUnder } from './bwrap-args.ts';

export interface CheckoutMounts {
  /** Dirs to cover with an empty tmpfs: the checkout, its git dir, other worktrees. */
  masked: string[];
  /** Git metadata bound back read-only: the `.git` pointer, the worktree's admin dir, objects, refs. */
  readOnly: string[];
  /** The reduced config to put read-only over `<common-dir>/config`, or null when there is no git dir. */
  gitConfig: { dest: string; text: string } | null;
}

/** Parts of the common git dir that `git log` / `git status` in a worktree read. */
const GIT_SHARED = ['objects', 'refs', 'packed-refs', 'HEAD', 'info', 'shallow'] as const;

const NONE: CheckoutMounts = { masked: [], readOnly: [], gitConfig: null };

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * Keeps only `core.repositoryformatversion` and `extensions.*` (needed to read the objects, e.g.
 * `objectformat = sha256`): no remotes, credentials, hooks path, fsmonitor or aliases.
 */
export function reduceGitConfig(text: string): string {
  let section = '';
  const core: string[] = [];
  const ext: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const head = /^\[\s*([A-Za-z0-9.-]+)\s*(?:"[^"]*")?\s*\]/.exec(line);
    if (head) {
      // Subsections ([remote "x"]) never hold the keys kept here.
      section = line.includes('"') ? '' : head[1]!.toLowerCase();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*([A-Za-z0-9_.-]+)\s*$/.exec(line);
    if (!kv) continue;
    if (section === 'core' && kv[1]!.toLowerCase() === 'repositoryformatversion') core.push(`\trepositoryformatversion = ${kv[2]}`);
    if (section === 'extensions') ext.push(`\t${kv[1]} = ${kv[2]}`);
  }
  return ['[core]', ...(core.length ? core : ['\trepositoryformatversion = 0']), ...(ext.length ? ['[extensions]', ...ext] : []), ''].join('\n');
}

/**
 * Plans the mounts for a command whose cwd is `cwd` (a run's worktree, or a checkout given to
 * `sandbox exec`). Only `cwd/.git` is looked at: a cwd that is not the top of a git working tree
 * gets no masking. Never throws: an unreadable layout masks what it can and binds nothing back.
 */
export function planCheckoutMounts(cwdGiven: string): CheckoutMounts {
  const cwd = realOrNull(cwdGiven) ?? cwdGiven;
  const dotGit = path.join(cwd, '.git');
  const st = fs.lstatSync(dotGit, { throwIfNoEntry: false });
  if (!st) return NONE;
  let gitDir: string | null;
  let commonDir: string | null;
  if (st.isDirectory()) {
    gitDir = realOrNull(dotGit);
    commonDir = gitDir;
  } else if (st.isFile()) {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    gitDir = m ? realOrNull(path.resolve(cwd, m[1]!)) : null;
    const rel = gitDir ? readSmall(path.join(gitDir, 'commondir')) : null;
    commonDir = gitDir ? (rel ? realOrNull(path.resolve(gitDir, rel)) : gitDir) : null;
  } else return NONE;
  if (!gitDir || !commonDir) return NONE;

  const masked: string[] = [];
  const mask = (dir: string): void => {
    if (dir === '/' || dir === cwd || masked.some((m) => isUnder(dir, m))) return;
    for (let i = masked.length - 1; i >= 0; i--) if (isUnder(masked[i]!, dir)) masked.splice(i, 1);
    masked.push(dir);
  };
  // The main working tree (non-bare: the git dir's parent), then the git dir itself.
  if (path.basename(commonDir) === '.git') mask(path.dirname(commonDir));
  mask(commonDir);
  for (const other of otherWorktrees(commonDir)) if (other !== cwd) mask(other);

  const readOnly: string[] = [];
  if (gitDir === commonDir) {
    // The checkout itself: its .git stays masked, only the index comes back with the shared parts.
    readOnly.push(path.join(commonDir, 'index'));
  } else {
    // A linked worktree: its `.git` pointer, and its admin dir, which must be <common>/worktrees/<name>.
    readOnly.push(dotGit);
    if (path.dirname(gitDir) === path.join(commonDir, 'worktrees')) readOnly.push(gitDir);
  }
  readOnly.push(...GIT_SHARED.map((p) => path.join(commonDir, p)));
  const config = readSmall(path.join(commonDir, 'config')) ?? '';
  return {
    masked,
    readOnly: readOnly.filter((p) => fs.existsSync(p)),
    gitConfig: { dest: path.join(commonDir, 'config'), text: reduceGitConfig(config) },
  };
}

/** Working trees of the repository's linked worktrees (from `<common>/worktrees/*\/gitdir`). */
function otherWorktrees(commonDir: string): string[] {
  const admin = path.join(commonDir, 'worktrees');
  let names: string[];
  try {
    names = fs.readdirSync(admin);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const pointer = readSmall(path.join(admin, name, 'gitdir'));
    const wt = pointer ? realOrNull(path.dirname(path.resolve(admin, name, pointer))) : null;
    if (wt) out.push(wt);
  }
  return out;
}

function readSmall(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return null;
  }
}
