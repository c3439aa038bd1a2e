/**
 * TypeScript's compiler API for the repo map: the copy ts-morph bundles (6.0, so the map parses as
 * the validators do), loaded with `require` instead of through ts-morph. The map needs only the
 * parser and module resolution, and a run's first model request waits for it: on Node 20 here
 * `import('ts-morph')` took ≈ 300 ms (ESM wrapper over CJS, ts-morph's own 3 MB bundle), this
 * ≈ 200 ms (2 cores, measured 2026-12-02). Later `import('ts-morph')` reuses this copy (same file
 * in the CommonJS cache).
 */
import { createRequire } from 'node:module';
import type { ts as TsApi } from 'ts-morph';

const besideTsMorph = createRequire(createRequire(import.meta.url).resolve('ts-morph'));

/** The compiler API (value); its types are `import type { ts } from 'ts-morph'`. */
export const ts: typeof TsApi = besideTsMorph('@ts-morph/common/dist/typescript.js') as typeof TsApi;
