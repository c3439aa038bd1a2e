/**
 * `require` for one large CommonJS file with a V8 code cache on disk: what Node ≥ 22's
 * `module.enableCompileCache` does, for Node 20, and for the one file where it pays. TypeScript's
 * compiler (9 MB) cost every run ≈ 155 ms of CPU to compile before the repo map could parse a file,
 * and its parser ran cold; with the cache, loading it and parsing a small repository took ≈ 115 ms
 * instead of ≈ 225 ms (2 cores, 2026-12-03). The cache is written once, when the process is about
 * to exit (`beforeExit`), after the run used the compiler, so it holds the functions the run
 * compiled too. V8 rejects a cache made by another V8 version or with other flags (the file name
 * carries `v8.cachedDataVersionTag()`); the name also carries the file's path, size, mtime and
 * inode, so an updated file never meets an old cache. Any failure falls back to a plain `require`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

/** How the file was loaded: from the cache, compiled (no cache yet, or one V8 refused), already loaded, or plainly (`off`). */
export type CodeCacheUse = 'hit' | 'miss' | 'rejected' | 'loaded' | 'off';

/** Caches to write when the process is about to exit. */
const pending = new Map<string, vm.Script>();

/** The cache file of `file` under `dir`: one per file version and V8 version/flags. */
export function codeCacheFile(file: string, dir: string): string {
  const st = statSync(file);
  const key = createHash('sha256')
    .update(JSON.stringify([file, st.size, st.mtimeMs, st.ino, process.version, process.arch, v8.cachedDataVersionTag()]))
    .digest('hex')
    .slice(0, 32);
  return path.join(dir, `${path.basename(file)}-${key}.bin`);
}

/**
 * Loads the CommonJS file `file` (absolute, resolved) as `require` would, registered in the
 * require cache so later `require`s of it share the instance; with `dir`, through a code cache
 * kept there (null: a plain `require`).
 */
export function requireWithCodeCache(file: string, dir: string | null): { exports: unknown; use: CodeCacheUse } {
  const req = createRequire(file);
  const loaded = req.cache[file];
  if (loaded) return { exports: loaded.exports, use: 'loaded' };
  if (!dir) return { exports: req(file), use: 'off' };
  let cacheFile: string;
  let script: vm.Script;
  let data: Buffer | undefined;
  try {
    cacheFile = codeCacheFile(file, dir);
    try {
      data = readFileSync(cacheFile);
    } catch {
      data = undefined; // no cache yet
    }
    script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
      filename: file,
      ...(data ? { cachedData: data } : {}),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
  } catch {
    return { exports: req(file), use: 'off' };
  }
  const m = new Module(file);
  m.filename = file;
  req.cache[file] = m;
  try {
    (script.runInThisContext() as (...a: unknown[]) => void).call(m.exports, m.exports, req, m, file, path.dirname(file));
    m.loaded = true;
  } catch (err) {
    delete req.cache[file];
    throw err;
  }
  const use: CodeCacheUse = !data ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  if (use !== 'hit') {
    if (pending.size === 0) process.once('beforeExit', flushCodeCaches);
    pending.set(cacheFile, script);
  }
  return { exports: m.exports, use };
}

/**
 * Writes the caches still to write (atomically: another process may read or write the same file).
 * Called on `beforeExit`; a failure only means the next run compiles again.
 */
export function flushCodeCaches(): void {
  for (const [file, script] of pending) {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      // e.g. a read-only home: the compiler still loads, only without the cache
    }
  }
  pending.clear();
}
