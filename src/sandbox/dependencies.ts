/**
 * Gives a fresh worktree the repository's installed dependencies without installing anything:
 * `<worktree>/node_modules` becomes a symlink to `<repo>/node_modules`, and so does each workspace
 * package's own `node_modules` (pnpm keeps a package's dependencies there: `packages/react/vite.config.ts`
 * loads `@vitejs/plugin-react` from `packages/react/node_modules`; TanStack/store, 2026-12-03). The
 * bwrap backend covers each link's target with a throwaway layer, so tests can load packages but
 * cannot change them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.ts';

/** Deepest folder below the root looked at for a package (`packages/x`, `packages/@scope/x`, `apps/group/x`). */
const MAX_PACKAGE_DEPTH = 3;
/** Most folders read while looking for packages: a huge tree is not walked whole. */
const MAX_DIRS_READ = 5000;
/**
 * Folder names walked: the repository names them, and a package's path becomes a git exclude
 * pattern (worktree.ts), where a newline, `*`, `[` or `\\` would mean something else.
 */
const PLAIN_NAME = /^[\w@+-][\w.@+-]*$/;

/**
 * Repo-relative folders below `root` (never the root itself, POSIX separators) holding both a
 * `package.json` and a `node_modules` entry of any kind: the workspace packages of a pnpm, npm or
 * yarn workspace. Walks at most {@link MAX_PACKAGE_DEPTH} levels and {@link MAX_DIRS_READ} folders,
 * skipping `node_modules`, dot folders and names outside {@link PLAIN_NAME}, and follows no link.
 */
export function packagesWithNodeModules(root: string): string[] {
  const out: string[] = [];
  let read = 0;
  const visit = (rel: string, depth: number): void => {
    if (depth > MAX_PACKAGE_DEPTH || read >= MAX_DIRS_READ) return;
    read++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    if (rel !== '' && names.has('package.json') && names.has('node_modules')) out.push(rel);
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && PLAIN_NAME.test(e.name)) visit(rel ? `${rel}/${e.name}` : e.name, depth + 1);
    }
  };
  visit('', 0);
  return out;
}

/**
 * Links each workspace package's `node_modules` of the install at `installRoot` into `dir` (a
 * worktree or checkout of the same repository) where `dir` has that package too, at a real folder
 * of its own (no symlink on the way). Leaves alone a package whose `node_modules` in `dir` already
 * exists and is not such a link (e.g. committed).
 * @returns the repo-relative package folders linked (or already linked)
 */
export function linkPackageDependencies(installRoot: string, dir: string): string[] {
  const linked: string[] = [];
  const realDir = fs.realpathSync(dir);
  for (const rel of packagesWithNodeModules(installRoot)) {
    let source: string;
    try {
      source = fs.realpathSync(path.join(installRoot, rel, 'node_modules'));
      if (!fs.statSync(source).isDirectory() || !fs.statSync(path.join(dir, rel, 'package.json')).isFile()) continue;
      // The package folder must really be inside dir: a committed symlink (`packages -> /elsewhere`)
      // would otherwise have the link written outside the worktree.
      if (fs.realpathSync(path.join(dir, rel)) !== path.join(realDir, rel)) continue;
    } catch {
      continue; // not a directory, or the package is not in dir
    }
    const link = path.join(dir, rel, 'node_modules');
    const existing = fs.lstatSync(link, { throwIfNoEntry: false });
    if (existing && !(existing.isSymbolicLink() && fs.realpathSync(link) === source)) continue;
    if (!existing) fs.symlinkSync(source, link, 'dir');
    linked.push(rel);
  }
  return linked;
}

/**
 * Removes the dependency links of `dir` (its `node_modules` and its packages' ones) when they are
 * symlinks, never what they point to. Before a worktree is deleted: removal must not walk into the
 * repository's own dependencies.
 */
export function unlinkDependencies(dir: string): void {
  unlinkIfSymlink(path.join(dir, 'node_modules'));
  unlinkPackageDependencies(dir);
}

/** Removes the workspace packages' `node_modules` of `dir` that are symlinks (see {@link unlinkDependencies}). */
export function unlinkPackageDependencies(dir: string): void {
  for (const rel of packagesWithNodeModules(dir)) unlinkIfSymlink(path.join(dir, rel, 'node_modules'));
}

function unlinkIfSymlink(link: string): void {
  if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(link);
}

/**
 * Links `<worktree>/node_modules` → `<repoRoot>/node_modules` and each workspace package's own
 * (see {@link linkPackageDependencies}); synchronous, idempotent when the links already point there.
 * @returns the repo-relative package folders whose `node_modules` is linked besides the root's
 * @throws EnvironmentError `deps_missing` when the repository has no node_modules directory;
 *   `deps_link_failed` when the worktree already holds a different node_modules or the link fails
 */
export function linkDependencies(repoRoot: string, worktree: string): string[] {
  const source = path.join(repoRoot, 'node_modules');
  let isDir = false;
  try {
    isDir = fs.statSync(source).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) {
    throw new EnvironmentError(
      'deps_missing',
      `No node_modules in ${repoRoot}: install dependencies first (npm ci), or pass --setup "npm ci" to install them in the worktree`,
    );
  }
  const link = path.join(worktree, 'node_modules');
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing) {
    if (existing.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(source)) return linkPackages(repoRoot, worktree);
    throw new EnvironmentError(
      'deps_link_failed',
      `${link} already exists and is not a link to ${source}: remove it or let --setup install dependencies`,
    );
  }
  try {
    // Link to the real path: an intermediate symlink (e.g. under a host /tmp the sandbox hides) would dangle inside bwrap.
    fs.symlinkSync(fs.realpathSync(source), link, 'dir');
  } catch (err) {
    throw new EnvironmentError('deps_link_failed', `Could not link ${link} → ${source}: ${(err as Error).message}`, err);
  }
  return linkPackages(repoRoot, worktree);
}

function linkPackages(repoRoot: string, worktree: string): string[] {
  try {
    return linkPackageDependencies(repoRoot, worktree);
  } catch (err) {
    throw new EnvironmentError('deps_link_failed', `Could not link the workspace packages' node_modules of ${repoRoot} into ${worktree}: ${(err as Error).message}`, err);
  }
}
