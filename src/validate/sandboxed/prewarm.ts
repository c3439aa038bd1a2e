/**
 * What `prewarm` asks the sandboxed worker to build while the loop plans (issue 13: the cold cost
 * overlaps the model's first calls): the repository's TypeScript program, and the ESLint and
 * Prettier configs of the root and of each workspace package (`package.json` "workspaces", literal
 * paths and `dir/*` patterns), since monorepos keep configs per package.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLINT_CONFIG_FILES } from '../lint.ts';
import { hasPrettierConfig } from '../style.ts';
import type { ValidatorName } from '../types.ts';
import { RepoTypeChecker } from './repo-types.ts';
import { WARM_TIMEOUT_MS, type ValidationWorker } from './worker-client.ts';

/** Most workspace packages warmed (each costs a config load in the worker). */
const MAX_PACKAGES = 8;

/** Repo-relative directories: the root, then the workspace packages it declares. */
export function packageDirs(root: string): string[] {
  const dirs = [''];
  let workspaces: unknown;
  try {
    workspaces = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces?: unknown }).workspaces;
  } catch {
    return dirs;
  }
  const patterns = Array.isArray(workspaces) ? workspaces : Array.isArray((workspaces as { packages?: unknown })?.packages) ? (workspaces as { packages: unknown[] }).packages : [];
  for (const p of patterns) {
    if (typeof p !== 'string' || p.includes('..') || path.isAbsolute(p)) continue;
    if (p.endsWith('/*')) {
      const parent = p.slice(0, -2);
      try {
        for (const e of readdirSync(path.join(root, parent), { withFileTypes: true })) if (e.isDirectory()) dirs.push(path.posix.join(parent, e.name));
      } catch {
        // pattern names no directory
      }
    } else if (!p.includes('*')) dirs.push(p.replace(/\/$/, ''));
  }
  return dirs.slice(0, MAX_PACKAGES + 1);
}

/** A non-test TypeScript file of the package at absolute `dir` (its `src/` first), to lint as a warm-up; undefined when none. */
function firstSource(dir: string): string | undefined {
  for (const sub of ['src', '']) {
    try {
      const hit = readdirSync(path.join(dir, sub)).sort().find((f) => /\.[cm]?tsx?$/.test(f) && !/\.(test|spec|test-d|d)\.[cm]?tsx?$/.test(f) && !f.startsWith('eslint.config'));
      if (hit) return path.join(dir, sub, hit);
    } catch {
      // no such directory
    }
  }
  return undefined;
}

/** Sends the warm-up requests (starting each worker) when something repository-side needs building. */
export async function prewarmWorker(root: string, workers: { types: ValidationWorker; lint: ValidationWorker }, checker: unknown, disabled: Set<ValidatorName>): Promise<void> {
  const dirs = packageDirs(root);
  const probe = (dir: string) => path.join(root, dir, '__patchloop_warm__.ts');
  const lintConfigDirs = disabled.has('lint') ? [] : dirs.filter((d) => ESLINT_CONFIG_FILES.some((n) => existsSync(path.join(root, d, n)))).map((d) => path.join(root, d));
  const styleDir = disabled.has('style') ? undefined : dirs.find((d) => hasPrettierConfig(root, path.posix.join(d || '.', '__patchloop_warm__.ts')));
  const typeFiles = checker instanceof RepoTypeChecker && !disabled.has('types') ? dirs.filter((d) => d === '' || existsSync(path.join(root, d, 'tsconfig.json'))).map(probe) : [];
  const lintProbes = Object.fromEntries(lintConfigDirs.flatMap((d) => {
    const f = firstSource(d);
    return f ? [[d, f]] : [];
  }));
  await Promise.all([
    typeFiles.length > 0 ? workers.types.request('warm', { typeFiles }, WARM_TIMEOUT_MS).catch(() => undefined) : undefined,
    lintConfigDirs.length > 0 || styleDir !== undefined
      ? workers.lint.request('warm', { lintConfigDirs, lintProbes, ...(styleDir !== undefined ? { prettierFile: probe(styleDir) } : {}) }, WARM_TIMEOUT_MS).catch(() => undefined)
      : undefined,
  ]);
}
