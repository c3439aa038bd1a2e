/**
 * TypeScript's compiler API for the repo map: the copy ts-morph bundles (6.0, so the map parses as
 * the validators do), loaded with `require` instead of through ts-morph. The map needs only the
 * parser and module resolution, and a run's first model request waits for it: on Node 20 here
 * `import('ts-morph')` took ≈ 300 ms (ESM wrapper over CJS, ts-morph's own 3 MB bundle), this
 * ≈ 200 ms (2 cores, measured 2026-12-02), and ≈ 60 ms with the V8 code cache (code-cache.ts).
 * Later `import('ts-morph')` reuses this copy (same file in the CommonJS cache).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ts as TsApi } from 'ts-morph';
import { requireWithCodeCache } from './code-cache.ts';

/**
 * Where the compiler's code cache lives: `PATCHLOOP_CODE_CACHE` (a folder, or `off`), else
 * `$XDG_CACHE_HOME/patchloop/v8` (`~/.cache/patchloop/v8`).
 */
export function codeCacheDir(env: Record<string, string | undefined> = process.env): string | null {
  const set = env['PATCHLOOP_CODE_CACHE'];
  if (set === 'off') return null;
  return set || path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'patchloop', 'v8');
}

const besideTsMorph = createRequire(createRequire(import.meta.url).resolve('ts-morph'));

/** The compiler API (value); its types are `import type { ts } from 'ts-morph'`. */
export const ts: typeof TsApi = requireWithCodeCache(besideTsMorph.resolve('@ts-morph/common/dist/typescript.js'), codeCacheDir()).exports as typeof TsApi;
