/**
 * ts-morph, loaded on first use. It bundles the TypeScript compiler (about 9 MB of JavaScript: 0.5–1 s
 * to load on the 2-core machine, measured 2026-12-02), which a run needs only once the model edits
 * by symbol, not before its first model request. Each binding is a stand-in that forwards to the
 * real export (static calls, `new`, `instanceof`), loaded synchronously through `require` (ts-morph
 * is CommonJS) the first time it is touched.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/** The ts-morph module itself, loading it now if it is not yet loaded. */
export function tsMorph(): typeof TsMorph {
  return (loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph);
}

/** A stand-in for ts-morph's export `name` that loads ts-morph the first time it is used. */
export function lazyTsMorph<K extends keyof typeof TsMorph>(name: K): (typeof TsMorph)[K] {
  const real = () => tsMorph()[name] as unknown as Record<PropertyKey, unknown> & (new (...a: unknown[]) => object);
  return new Proxy(function () {} as unknown as object, {
    get: (_t, key) => {
      const value = real()[key];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real()) : value;
    },
    construct: (_t, args) => new (real())(...args),
  }) as (typeof TsMorph)[K];
}
