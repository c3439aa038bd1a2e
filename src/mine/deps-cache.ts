/**
 * Installed dependencies cached per lockfile: `<cacheRoot>/<sha256(install command + lockfile)>/checkout/node_modules`.
 * The install runs once per key, in the sandbox with network (the only networked step), inside a
 * copy of the checkout in the cache folder itself — pnpm's `.bin` shims hold absolute paths
 * (NODE_PATH into `.pnpm/node_modules`), so node_modules must live where it was installed. A checkout
 * then gets `node_modules` as a symlink to it, which the bwrap backend layers read-only.
 * Commits that share a lockfile never reinstall.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { linkPackageDependencies, unlinkPackageDependencies } from '../sandbox/dependencies.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { INSTALL_ENV } from './detect.ts';

/** Wall-clock limit of one install, ms (a cold pnpm/npm install of a library fits in well under this). */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** Marker written after a finished install: a half-copied cache folder is never used. */
const DONE = '.patchloop-complete';
/** Installs that failed in this process, by cache folder: the same lockfile is not retried (minutes each). */
const failedInstalls = new Map<string, string>();

export interface DepsResult {
  /** The cached node_modules the checkout now links to. */
  nodeModules: string;
  /** True when this call ran the install (false: cache hit). */
  installed: boolean;
  installMs: number;
}

/** The cache key of a checkout: install command + lockfile bytes. */
export function depsKey(dir: string, lockfile: string, install: string): string {
  // `v2`: installed in place (see above); earlier layouts are not reused.
  const h = createHash('sha256').update('v2\0').update(install).update('\0');
  h.update(readFileSync(path.join(dir, lockfile)));
  return h.digest('hex').slice(0, 24);
}

function removeNodeModules(dir: string): void {
  const link = path.join(dir, 'node_modules');
  if (lstatSync(link, { throwIfNoEntry: false })) rmSync(link, { recursive: true, force: true });
}

/**
 * Makes `<dir>/node_modules` a link to the cached install for its lockfile, installing first on a miss.
 * @throws Error `install failed (...)` with the output tail when the install command fails.
 */
export async function ensureDependencies(sandbox: Sandbox, dir: string, o: { lockfile: string; install: string; cacheRoot: string; now?: () => number }): Promise<DepsResult> {
  const now = o.now ?? Date.now;
  const cached = path.join(o.cacheRoot, depsKey(dir, o.lockfile, o.install));
  const home = path.join(cached, 'checkout');
  const target = path.join(home, 'node_modules');
  const link = path.join(dir, 'node_modules');
  const t0 = now();
  let installed = false;
  if (!existsSync(path.join(cached, DONE))) {
    const failed = failedInstalls.get(cached);
    if (failed) throw new Error(failed);
    rmSync(cached, { recursive: true, force: true });
    mkdirSync(cached, { recursive: true });
    // The checkout without its git dir or any install: install scripts may need the sources.
    cpSync(dir, home, { recursive: true, verbatimSymlinks: true, filter: (src) => !/[\\/](\.git|node_modules)$/.test(src) });
    const r = await sandbox.run({ command: o.install, cwd: home, timeoutMs: INSTALL_TIMEOUT_MS, network: true, env: INSTALL_ENV, keepDependencyWrites: true });
    if (r.reason !== 'exit' || r.exitCode !== 0 || !existsSync(target)) {
      rmSync(cached, { recursive: true, force: true });
      const message = `install failed (${o.install}: ${r.reason}, exit ${r.exitCode}): ${r.output.slice(-400).trim()}`;
      failedInstalls.set(cached, message);
      throw new Error(message);
    }
    writeFileSync(path.join(cached, DONE), `${o.install}\n`);
    installed = true;
  }
  const have = lstatSync(link, { throwIfNoEntry: false });
  if (!have?.isSymbolicLink() || realpathSync(link) !== realpathSync(target)) {
    removeNodeModules(dir);
    symlinkSync(realpathSync(target), link, 'dir');
  }
  // Workspace packages keep their own node_modules (pnpm): relink them to this install's.
  unlinkPackageDependencies(dir);
  linkPackageDependencies(home, dir);
  return { nodeModules: target, installed, installMs: now() - t0 };
}
