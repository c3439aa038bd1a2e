/**
 * Installed dependencies cached per lockfile: `<cacheRoot>/<sha256(install command + lockfile)>/node_modules`.
 * The install runs once per key, in the sandbox with network (the only networked step); afterwards
 * a checkout gets `node_modules` as a symlink to the cached folder, which the bwrap backend binds
 * read-only. Commits that share a lockfile never reinstall.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
  const h = createHash('sha256').update(install).update('\0');
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
  const target = path.join(cached, 'node_modules');
  const link = path.join(dir, 'node_modules');
  const t0 = now();
  let installed = false;
  if (!existsSync(path.join(cached, DONE))) {
    const failed = failedInstalls.get(cached);
    if (failed) throw new Error(failed);
    removeNodeModules(dir);
    const r = await sandbox.run({ command: o.install, cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS, network: true, env: INSTALL_ENV });
    if (r.reason !== 'exit' || r.exitCode !== 0) {
      removeNodeModules(dir);
      const message = `install failed (${o.install}: ${r.reason}, exit ${r.exitCode}): ${r.output.slice(-400).trim()}`;
      failedInstalls.set(cached, message);
      throw new Error(message);
    }
    rmSync(cached, { recursive: true, force: true });
    mkdirSync(cached, { recursive: true });
    try {
      renameSync(link, target);
    } catch {
      cpSync(link, target, { recursive: true, verbatimSymlinks: true });
      rmSync(link, { recursive: true, force: true });
    }
    writeFileSync(path.join(cached, DONE), `${o.install}\n`);
    installed = true;
  }
  const have = lstatSync(link, { throwIfNoEntry: false });
  if (!have?.isSymbolicLink() || realpathSync(link) !== realpathSync(target)) {
    removeNodeModules(dir);
    symlinkSync(realpathSync(target), link, 'dir');
  }
  return { nodeModules: target, installed, installMs: now() - t0 };
}
