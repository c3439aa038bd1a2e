/**
 * What the repo map reads from each file's syntax tree (symbols, import specifiers, line count),
 * kept on disk between runs, keyed by a hash of the file's name extension, parse target and text —
 * as aider keeps its tags cache — so a run on a repository it has seen parses only the files that
 * changed. remeda (534 files) took 628 ms to index, most of it parsing (2026-12-03).
 * One JSON file per repository; it holds the entries of the last index built, so it does not grow
 * with history. Read back as untrusted input: a file that does not parse or match the schema is
 * ignored (the map is then built from scratch and the file rewritten).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { MapSymbol } from './graph.ts';

/** Bump when what is extracted per file changes: older cache files are then ignored. */
const FACTS_VERSION = 1;

/** The per-file result of parsing, independent of every other file. */
export interface FileFacts {
  symbols: MapSymbol[];
  /** Module specifiers with the names imported from each, in source order. */
  specifiers: [string, string[]][];
  lines: number;
}

const SymbolSchema = z.object({
  name: z.string(), kind: z.enum(['function', 'class', 'interface', 'type', 'enum', 'variable', 'namespace', 'method', 'property']),
  line: z.number().int(), endLine: z.number().int(), signature: z.string(), exported: z.boolean(), parent: z.string().optional(),
});
const CacheFileSchema = z.object({
  version: z.literal(FACTS_VERSION),
  entries: z.record(z.string(), z.object({ symbols: z.array(SymbolSchema), specifiers: z.array(z.tuple([z.string(), z.array(z.string())])), lines: z.number().int() })),
});

/**
 * The folder of repo-map caches: `PATCHLOOP_MAP_CACHE` (a folder, or `off`), else
 * `$XDG_CACHE_HOME/patchloop/repo-map` (`~/.cache/patchloop/repo-map`).
 */
export function repoMapCacheDir(env: Record<string, string | undefined> = process.env): string | null {
  const set = env['PATCHLOOP_MAP_CACHE'];
  if (set === 'off') return null;
  return set || path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'patchloop', 'repo-map');
}

/** The cache file of the repository whose git common dir is `commonDir`; null when caching is off. */
export function repoMapCacheFile(commonDir: string, env: Record<string, string | undefined> = process.env): string | null {
  const dir = repoMapCacheDir(env);
  return dir ? path.join(dir, `${createHash('sha256').update(commonDir).digest('hex').slice(0, 16)}.json`) : null;
}

/** Cache key of one file's facts (sha1 hex): extension, parse target, text. */
export function factsKey(fileName: string, target: number, text: string): string {
  return createHash('sha1').update(`${path.extname(fileName)}\0${target}\0`).update(text).digest('hex');
}

/** Facts by key, loaded from and saved to one file (no file: an in-memory cache for one index). */
export class FactsCache {
  private readonly old: Map<string, FileFacts>;
  private readonly used = new Map<string, FileFacts>();
  private computed = 0;

  constructor(private readonly file: string | null) {
    this.old = new Map();
    if (!file) return;
    try {
      const parsed = CacheFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) for (const [k, v] of Object.entries(parsed.data.entries)) this.old.set(k, v as FileFacts);
    } catch {
      // none yet, or unreadable: start empty
    }
  }

  /** The facts for `key`, computing (and remembering) them with `compute` on a miss. */
  get(key: string, compute: () => FileFacts): FileFacts {
    let facts = this.used.get(key) ?? this.old.get(key);
    if (!facts) {
      facts = compute();
      this.computed++;
    }
    this.used.set(key, facts);
    return facts;
  }

  /** Files parsed (cache misses) so far. */
  get misses(): number {
    return this.computed;
  }

  /**
   * Writes the entries used by this index (atomically), when anything changed. Never throws: a
   * cache that cannot be written only costs the next run a parse.
   */
  save(): void {
    if (!this.file || (this.computed === 0 && this.used.size === this.old.size)) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: FACTS_VERSION, entries: Object.fromEntries(this.used) }), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // read-only cache folder, full disk: next time parses again
    }
  }
}
