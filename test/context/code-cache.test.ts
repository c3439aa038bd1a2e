/**
 * The V8 code cache the repo map loads TypeScript's compiler with (src/context/code-cache.ts): the
 * first load compiles and writes the cache at exit, later loads use it, a damaged or stale cache
 * never breaks the load, and the module is the one `require` returns afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, flushCodeCaches, requireWithCodeCache } from '../../src/context/code-cache.ts';
import { codeCacheDir } from '../../src/context/compiler.ts';

/** A CommonJS module (with a sibling it requires) in a fresh folder; returns its path and a cache folder. */
function fixture(value = 41): { file: string; dir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-codecache-'));
  writeFileSync(path.join(root, 'sibling.js'), 'module.exports = 1;\n');
  const file = path.join(root, 'big.js');
  writeFileSync(file, `const path = require('node:path');\nexports.answer = ${value} + require('./sibling.js');\nexports.here = path.basename(__dirname);\nexports.self = module.exports === exports;\n`);
  return { file, dir: path.join(root, 'cache') };
}

const DIST_MODULE = fileURLToPath(new URL('../../dist/context/code-cache.js', import.meta.url));

/**
 * Loads `file` in a fresh Node process (V8 keeps compiled scripts in memory, so only a new process
 * reads a cache from disk) and lets it exit normally, which writes the cache.
 */
function loadInChild(file: string, dir: string): { use: string; answer: number } {
  const script = `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(DIST_MODULE).href)};\nconst r = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(dir)});\nconsole.log(JSON.stringify({ use: r.use, answer: r.exports.answer }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { use: string; answer: number };
}

describe('requireWithCodeCache', () => {
  it('compiles on first use, writes the cache when the process exits, and loads from it next time', () => {
    const { file, dir } = fixture();
    expect(loadInChild(file, dir)).toEqual({ use: 'miss', answer: 42 });
    expect(existsSync(codeCacheFile(file, dir))).toBe(true);
    expect(loadInChild(file, dir)).toEqual({ use: 'hit', answer: 42 });
  });

  it('a damaged cache is refused by V8: the file still loads, and the cache is rewritten', () => {
    const { file, dir } = fixture();
    loadInChild(file, dir);
    writeFileSync(codeCacheFile(file, dir), 'not a code cache');
    expect(loadInChild(file, dir)).toEqual({ use: 'rejected', answer: 42 });
    expect(loadInChild(file, dir)).toEqual({ use: 'hit', answer: 42 });
  });

  it('a changed file never meets the cache of its old version', () => {
    const { file, dir } = fixture();
    loadInChild(file, dir);
    const before = codeCacheFile(file, dir);
    writeFileSync(file, 'exports.answer = 7;\n');
    expect(codeCacheFile(file, dir)).not.toBe(before);
    expect(loadInChild(file, dir)).toEqual({ use: 'miss', answer: 7 });
  });

  it('registers the module for later requires, and loads it once', () => {
    const { file, dir } = fixture();
    const first = requireWithCodeCache(file, dir);
    expect(first.exports).toEqual({ answer: 42, here: path.basename(path.dirname(file)), self: true });
    expect(createRequire(file)(file)).toBe(first.exports);
    expect(requireWithCodeCache(file, dir)).toEqual({ exports: first.exports, use: 'loaded' });
    expect(existsSync(codeCacheFile(file, dir))).toBe(false); // written at exit, not on the way
    flushCodeCaches();
    expect(existsSync(codeCacheFile(file, dir))).toBe(true);
  });

  it('without a folder it is a plain require; a folder it cannot write only costs the cache', () => {
    const a = fixture();
    expect(requireWithCodeCache(a.file, null)).toMatchObject({ use: 'off', exports: { answer: 42 } });
    const b = fixture();
    writeFileSync(b.dir, 'a file where the folder should be');
    expect(requireWithCodeCache(b.file, b.dir).use).toBe('miss');
    expect(() => flushCodeCaches()).not.toThrow();
  });
});

describe('codeCacheDir', () => {
  it('is PATCHLOOP_CODE_CACHE, off, or under the XDG cache home', () => {
    expect(codeCacheDir({ PATCHLOOP_CODE_CACHE: '/x/y' })).toBe('/x/y');
    expect(codeCacheDir({ PATCHLOOP_CODE_CACHE: 'off' })).toBeNull();
    expect(codeCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/patchloop/v8');
    expect(codeCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'patchloop', 'v8'));
  });
});
