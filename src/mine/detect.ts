/**
 * How to install and test a JavaScript repository, read from its files at one commit: the lockfile
 * names the package manager, the lockfile version (or `packageManager`) its major version, and the
 * test files' nearest package.json the folder vitest runs in. Nothing here executes repository code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface RepoSetup {
  manager: 'pnpm' | 'npm' | 'yarn';
  /** Lockfile path, repo-relative. */
  lockfile: string;
  /** Install command, run with network in the sandbox. */
  install: string;
  /** Why the command differs from what the repository pins (e.g. a pnpm major this Node cannot run). */
  note?: string;
}

/**
 * Lowest Node.js each pnpm major runs on: `engines.node` of its newest release on the npm registry
 * (`npm view pnpm@N engines.node`, read 2026-12-03). pnpm 11 needs `node:sqlite` (Node 22.13+): on
 * Node 20 it dies at start-up with ERR_UNKNOWN_BUILTIN_MODULE (pmndrs/zustand pins pnpm 11.3).
 */
const PNPM_MIN_NODE: Record<number, string> = { 6: '12.17', 7: '14.6', 8: '16.14', 9: '18.12', 10: '18.12', 11: '22.13' };

/** True when Node `version` (e.g. `20.20.2`) is at least `min` (e.g. `22.13`); unknown pnpm majors count as runnable. */
function pnpmRunsOn(major: number, version: string): boolean {
  const min = PNPM_MIN_NODE[major];
  if (!min) return true;
  const [a, b] = [version, min].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a![i] ?? 0) !== (b![i] ?? 0)) return (a![i] ?? 0) > (b![i] ?? 0);
  return true;
}

/**
 * pnpm major able to read a lockfile version with `--frozen-lockfile` (pnpm's lockfile history:
 * 5.3 = pnpm 6, 5.4 = pnpm 7, 6.x = pnpm 8, 9.0 = pnpm 9/10; pnpm.io/npmrc and release notes, 2024).
 */
function pnpmMajorFor(lockfileVersion: string): number {
  const v = Number.parseFloat(lockfileVersion);
  if (v >= 9) return 10;
  if (v >= 6) return 8;
  if (v >= 5.4) return 7;
  return 6;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Detects the package manager and its install command in checkout `dir`. A `packageManager` pin on
 * a pnpm major that cannot run on `nodeVersion` (default: this process's) falls back to the newest
 * major that runs and reads the lockfile's version (lockfile 9.0: pnpm 10), said in `note`.
 * @returns null with a reason when the repository cannot be installed this way (no lockfile, Yarn PnP).
 */
export function detectSetup(dir: string, nodeVersion: string = process.versions.node): RepoSetup | { unsupported: string } {
  const pkg = readJson(path.join(dir, 'package.json'));
  const pinned = typeof pkg?.['packageManager'] === 'string' ? (pkg['packageManager'] as string) : '';
  if (existsSync(path.join(dir, 'pnpm-lock.yaml'))) {
    const head = readFileSync(path.join(dir, 'pnpm-lock.yaml'), 'utf8').slice(0, 200);
    const lockVersion = /lockfileVersion:\s*'?([\d.]+)/.exec(head)?.[1] ?? '9.0';
    const pinnedMajor = /^pnpm@(\d+)/.exec(pinned)?.[1];
    const byLockfile = pnpmMajorFor(lockVersion);
    let major = pinnedMajor ? Number(pinnedMajor) : byLockfile;
    let note: string | undefined;
    // `engines.pnpm: ">=11"` makes an older pnpm refuse the install (ERR_PNPM_UNSUPPORTED_ENGINE).
    const enginesPnpm = (pkg?.['engines'] as { pnpm?: unknown } | undefined)?.pnpm;
    const requiredMajor = typeof enginesPnpm === 'string' ? Number(/^\s*>=?\s*v?(\d+)/.exec(enginesPnpm)?.[1] ?? 0) : 0;
    if (!pnpmRunsOn(major, nodeVersion) && requiredMajor > byLockfile) {
      return { unsupported: `engines.pnpm "${String(enginesPnpm).slice(0, 40)}" needs pnpm ${requiredMajor}+, which needs Node ${PNPM_MIN_NODE[major] ?? '?'}+ (this is ${nodeVersion})` };
    }
    if (!pnpmRunsOn(major, nodeVersion) && pnpmRunsOn(byLockfile, nodeVersion)) {
      note = `packageManager pins pnpm ${major}, which needs Node ${PNPM_MIN_NODE[major]}+ (this is ${nodeVersion}): installing with pnpm ${byLockfile}, which reads the same lockfile (version ${lockVersion})`;
      major = byLockfile;
    }
    return { manager: 'pnpm', lockfile: 'pnpm-lock.yaml', install: `npx --yes pnpm@${major} install --frozen-lockfile`, ...(note ? { note } : {}) };
  }
  if (existsSync(path.join(dir, 'package-lock.json'))) return { manager: 'npm', lockfile: 'package-lock.json', install: 'npm ci --no-audit --no-fund' };
  if (existsSync(path.join(dir, 'yarn.lock'))) {
    if (existsSync(path.join(dir, '.yarnrc.yml'))) {
      const rc = readFileSync(path.join(dir, '.yarnrc.yml'), 'utf8');
      if (!/nodeLinker:\s*['"]?node-modules/.test(rc)) return { unsupported: 'Yarn Plug\'n\'Play (no node_modules to run vitest from)' };
      return { manager: 'yarn', lockfile: 'yarn.lock', install: 'corepack yarn install --immutable' };
    }
    return { manager: 'yarn', lockfile: 'yarn.lock', install: 'npx --yes yarn@1 install --frozen-lockfile' };
  }
  return { unsupported: 'no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock)' };
}

/** Environment the install step needs: a pinned `packageManager` must not make pnpm switch itself (NOTES.md). */
export const INSTALL_ENV: Record<string, string> = { npm_config_manage_package_manager_versions: 'false', CI: 'true' };

/** Quotes a repo path for sh (paths come from the mined repository: untrusted). */
export function shQuote(s: string): string {
  return /^[\w./@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The vitest command for `testFiles` (repo-relative), run from the nearest folder above them that
 * has a package.json declaring vitest (a workspace package) or from the root.
 * @returns null when the files sit in different packages or nothing declares vitest.
 */
export function vitestCommand(dir: string, testFiles: string[]): { command: string; packageDir: string } | null {
  const dirs = new Set(testFiles.map((f) => packageDirOf(dir, f)));
  if (dirs.size !== 1) return null;
  const pkgDir = [...dirs][0]!;
  if (pkgDir === null) return null;
  const rel = testFiles.map((f) => shQuote(pkgDir === '.' ? f : path.posix.relative(pkgDir, f))).join(' ');
  if (pkgDir === '.') return { command: `node_modules/.bin/vitest run ${rel}`, packageDir: '.' };
  return { command: `cd ${shQuote(pkgDir)} && npx --no-install vitest run ${rel}`, packageDir: pkgDir };
}

function declaresVitest(pkgJson: string): boolean {
  const pkg = readJson(pkgJson);
  if (!pkg) return false;
  const deps = { ...(pkg['devDependencies'] as object | undefined), ...(pkg['dependencies'] as object | undefined) };
  const scripts = JSON.stringify(pkg['scripts'] ?? {});
  return 'vitest' in deps || /vitest/.test(scripts);
}

function packageDirOf(root: string, file: string): string | null {
  let d = path.posix.dirname(file);
  for (;;) {
    const rel = d === '.' ? 'package.json' : `${d}/package.json`;
    if (existsSync(path.join(root, rel)) && declaresVitest(path.join(root, rel))) return d;
    if (d === '.' || d === '') return existsSync(path.join(root, 'package.json')) && declaresVitest(path.join(root, 'package.json')) ? '.' : null;
    d = path.posix.dirname(d);
  }
}

/** The installed vitest version visible from `packageDir` (walking up node_modules), or undefined. */
export function installedVitest(dir: string, packageDir: string): string | undefined {
  let d = path.join(dir, packageDir);
  for (;;) {
    const v = readJson(path.join(d, 'node_modules', 'vitest', 'package.json'))?.['version'];
    if (typeof v === 'string') return v;
    if (path.resolve(d) === path.resolve(dir)) return undefined;
    d = path.dirname(d);
  }
}
