/**
 * `node_modules` as a throwaway writable layer: vite bundles `vite.config.ts` into
 * `node_modules/.vite-temp/`, vitest 1.x writes `node_modules/.vite/vitest/results.json`, so a
 * read-only `node_modules` fails every test run of such a repository with EROFS.
 *
 * bubblewrap 0.8.0 (Debian 12) has no overlay options, so the bwrap command is started by a small
 * launcher: `unshare --user --map-root-user --mount` gives a private mount namespace in which an
 * overlayfs (lower = the real node_modules, upper/work = a fresh dir in the command's own layer dir)
 * is mounted over each node_modules; bwrap, started inside it, binds that mount read-write. Writes
 * land in the upper dir, which is deleted after the command; the real tree is never written.
 * Overlayfs in an unprivileged user namespace needs Linux ≥ 5.11 (checked on 6.18 here, 2026-12).
 * If a mount fails at run time, the launcher makes that node_modules read-only instead and says so on
 * stderr; it never runs the command with the real node_modules writable.
 */
import { execFile } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { packagesWithNodeModules } from './dependencies.ts';

/** One overlay: `target` (the real node_modules, absolute, real path) and its layer dir holding lower/, upper/, work/. */
export interface OverlayLayer {
  target: string;
  layerDir: string;
}

/** Printed on stderr by the launcher when an overlay mount failed and node_modules stayed read-only. */
export const READ_ONLY_NOTE = 'patchloop sandbox: node_modules read-only';

/**
 * The launcher script, run by `sh -c SCRIPT sh TARGET LAYER … -- BWRAP ARGS…`. Paths travel as
 * argv (never inside a mount option string), except the layer dirs, which the sandbox creates
 * itself and checks with {@link layerPathIsSafe}.
 */
const LAUNCHER = [
  'while [ "$1" != "--" ]; do',
  '  t=$1; l=$2; shift 2',
  '  if mount --bind "$t" "$l/lower" && mount -t overlay overlay -o "lowerdir=$l/lower,upperdir=$l/upper,workdir=$l/work" "$t"; then :',
  `  else echo "${READ_ONLY_NOTE}: overlay mount failed for $t" >&2; mount --bind "$t" "$t" && mount -o remount,bind,ro "$t" || exit 125; fi`,
  'done',
  'shift',
  'exec "$@"',
].join('\n');

/**
 * argv that mounts the layers in a new user+mount namespace, then execs `argv` (the bwrap command).
 * Pure.
 * @throws Error when a layer path is relative or unsafe (a programming error: the sandbox makes them)
 */
export function buildOverlayLauncher(unsharePath: string, layers: OverlayLayer[], argv: string[]): string[] {
  for (const l of layers) {
    if (!path.isAbsolute(l.target) || !layerPathIsSafe(l.layerDir)) throw new Error(`buildOverlayLauncher: bad layer ${JSON.stringify(l)}`);
  }
  return [
    unsharePath,
    // Own user namespace (mapped to root, so mount is allowed) and own mount namespace (private
    // propagation by default): the overlay is never visible on the host.
    '--user', '--map-root-user', '--mount',
    '--', '/bin/sh', '-c', LAUNCHER, 'sh',
    ...layers.flatMap((l) => [l.target, l.layerDir]),
    '--', ...argv,
  ];
}

/** Overlay mount options are split on `,` `:` and `\`; layer dirs must not contain them. */
export function layerPathIsSafe(p: string): boolean {
  return path.isAbsolute(p) && !/[,:\\\n]/.test(p);
}

/** The real directory behind `link` when it is a directory itself named node_modules, else undefined. */
function realNodeModules(link: string): string | undefined {
  try {
    const real = realpathSync(link);
    // The worktree is writable, so a sandboxed command can repoint a link (e.g. at the checkout
    // root, to have it bound back): only a directory that is itself named node_modules is taken.
    return path.basename(real) === 'node_modules' && statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The real directories behind `<cwd>/node_modules` (the symlink target of a worktree linked to the
 * checkout's dependencies, or the directory itself after `--setup npm ci`) and behind each workspace
 * package's `<cwd>/<package>/node_modules` (dependencies.ts). A package's is taken only inside the
 * install tree of the root one (the folder holding it): a link repointed by sandboxed code cannot
 * bring another project's files into view. Empty when `<cwd>/node_modules` is absent.
 */
export function dependencyDirs(cwd: string): string[] {
  const root = realNodeModules(path.join(cwd, 'node_modules'));
  if (!root) return [];
  const tree = path.dirname(root);
  const out = [root];
  for (const rel of packagesWithNodeModules(cwd)) {
    const real = realNodeModules(path.join(cwd, rel, 'node_modules'));
    if (real && real.startsWith(`${tree}/`) && !out.includes(real)) out.push(real);
  }
  return out;
}

/**
 * Workspace packages that `nmDir` links to outside itself (npm/pnpm/yarn workspaces:
 * `node_modules/@scope/lib -> ../../packages/lib`): top-level and `@scope/` symlinks whose real
 * path leaves `nmDir` and that hold a `package.json`. The sandbox binds them back read-only when
 * the checkout around them is masked. Targets that contain one of `keepOut` (e.g. the checkout root, the worktree) are skipped:
 * binding them would undo the mask.
 */
export function linkedWorkspacePackages(nmDir: string, keepOut: string[]): string[] {
  const out = new Set<string>();
  const inside = (p: string): boolean => p === nmDir || p.startsWith(`${nmDir}/`);
  const visit = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() && depth === 0 && name.startsWith('@')) visit(p, 1);
      if (!st?.isSymbolicLink()) continue;
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        continue;
      }
      // Only package directories: a link planted by an install script at `.env` or at the
      // checkout root must not be bound back into view.
      const isPackage = statSync(real, { throwIfNoEntry: false })?.isDirectory() && statSync(path.join(real, 'package.json'), { throwIfNoEntry: false })?.isFile();
      if (isPackage && !inside(real) && !keepOut.some((k) => k === real || k.startsWith(`${real}/`))) out.add(real);
    }
  };
  visit(nmDir, 0);
  return [...out];
}

/** Creates `<layerDir>/{lower,upper,work}` for each target under `parent`; returns the layers. */
export async function prepareLayers(parent: string, targets: string[]): Promise<OverlayLayer[]> {
  const layers: OverlayLayer[] = [];
  for (const [i, target] of targets.entries()) {
    const layerDir = path.join(parent, `nm${i}`);
    for (const sub of ['lower', 'upper', 'work']) await fs.mkdir(path.join(layerDir, sub), { recursive: true });
    layers.push({ target, layerDir });
  }
  return layers;
}

/**
 * overlayfs's own work dir in a layer: the kernel leaves it at mode 000, which stops a non-root rm,
 * so it is opened (0700) before removal. It is the kernel's, not reachable from inside the sandbox,
 * so chmod cannot be led out of the layer through it (the upper dir holds what sandboxed code wrote).
 */
const overlayWorkDir = (l: OverlayLayer) => path.join(l.layerDir, 'work', 'work');

/** Deletes a command's layer dirs. */
export async function removeLayers(layers: OverlayLayer[]): Promise<void> {
  for (const l of layers) {
    await fs.chmod(overlayWorkDir(l), 0o700).catch(() => undefined);
    await fs.rm(l.layerDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** `removeLayers`, synchronously: for a process's `exit`, where nothing asynchronous runs any more. */
export function removeLayersSync(layers: OverlayLayer[]): void {
  for (const l of layers) {
    try {
      chmodSync(overlayWorkDir(l), 0o700);
    } catch {
      // already open, or gone
    }
    rmSync(l.layerDir, { recursive: true, force: true });
  }
}

/**
 * Checks that overlay layers work here: mounts one over a scratch dir inside `unshare`, starts
 * `bwrapArgv` (a real bwrap policy running `true`) inside, and checks the write stayed in the layer.
 * @returns null when it works, else the reason (for the read-only note)
 */
export async function probeOverlay(unsharePath: string, scratch: string, bwrapArgv: (target: string) => string[]): Promise<string | null> {
  const target = path.join(scratch, 'node_modules');
  await fs.mkdir(target, { recursive: true });
  const [layer] = await prepareLayers(path.join(scratch, 'layer'), [target]);
  const argv = buildOverlayLauncher(unsharePath, [layer!], bwrapArgv(target));
  const err = await new Promise<string | null>((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 10_000 }, (e, _out, stderr) => {
      resolve(e ? `${e.message.split('\n')[0]} ${String(stderr).trim()}`.trim() : String(stderr).includes(READ_ONLY_NOTE) ? String(stderr).trim() : null);
    });
  });
  const leaked = await fs.readdir(target).then((names) => names.length > 0);
  await removeLayers([layer!]);
  return err ?? (leaked ? 'a write inside the layer reached the real directory' : null);
}
