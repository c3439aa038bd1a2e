/**
 * Localisation: the task's ranked candidates (file → symbol → line range) and the repo map built
 * from the same ranking. One `RepoIndex` (program + graph) serves any number of tasks, so the
 * parse cost is paid once per repository state.
 */
import { loadProgram, type LoadedProgram } from './program.ts';
import { FactsCache } from './facts-cache.ts';
import { buildRepoGraph, type RepoGraph } from './graph.ts';
import { extractSignals, type SignalInput } from './signals.ts';
import { rankRepo, type RankedFile } from './rank.ts';
import { renderFileList, renderRepoMap } from './render.ts';

/** Default map size (tokens) for a model with an unknown window. */
export const DEFAULT_MAP_TOKENS = 4096;
/** Candidates handed to the plan phase. */
export const DEFAULT_CANDIDATES = 8;
/** Symbols listed per candidate file. */
export const CANDIDATE_SYMBOLS = 3;

/**
 * Map size for a model's context window: 1/48 of it, between 1k and 8k tokens (a 200k-token window
 * gets 4,167 tokens) — enough for the ranked neighbourhood of the task without crowding the run.
 */
export function defaultMapTokens(contextWindowTokens?: number): number {
  if (!contextWindowTokens) return DEFAULT_MAP_TOKENS;
  return Math.min(8192, Math.max(1024, Math.round(contextWindowTokens / 48)));
}

export interface RepoIndex {
  root: string;
  /** Every file of the repository (repo-relative). */
  allFiles: string[];
  program: LoadedProgram;
  graph: RepoGraph;
  /** Milliseconds spent loading and indexing. */
  buildMs: number;
  /** Files parsed for this index (the rest came from the facts cache). */
  parsedNow: number;
}

/**
 * Parses `files` under `root` into a reusable index. `cacheFile`: the repository's facts cache
 * (facts-cache.ts), read before and written after; files already indexed there are not parsed.
 */
export function buildRepoIndex(root: string, files: string[], opts: { maxFiles?: number; now?: () => number; cacheFile?: string | null } = {}): RepoIndex {
  const now = opts.now ?? Date.now;
  const t0 = now();
  const program = loadProgram(root, files, opts);
  const cache = new FactsCache(opts.cacheFile ?? null);
  const graph = buildRepoGraph(root, program, cache);
  cache.save();
  return { root, allFiles: files, program, graph, buildMs: now() - t0, parsedNow: cache.misses };
}

export interface CandidateSymbol { name: string; kind: string; line: number; endLine: number }
export interface Candidate { file: string; score: number; symbols: CandidateSymbol[] }

export interface Localization {
  /** Every file, best first (tests included, down-weighted). */
  ranked: RankedFile[];
  /** The best non-test files with their best symbols. */
  candidates: Candidate[];
  /** The `<repo_map>` body. */
  map: string;
  /** True when there was no TypeScript/JavaScript program and the map is a file list. */
  degraded: boolean;
}

/** Ranks the index for one task and renders the map within `mapTokens`. */
export function localize(index: RepoIndex, input: SignalInput, opts: { mapTokens?: number; candidates?: number; damping?: number } = {}): Localization {
  const mapTokens = opts.mapTokens ?? DEFAULT_MAP_TOKENS;
  if (index.program.files.length === 0) {
    const map = renderFileList(index.allFiles, mapTokens, 'no TypeScript or JavaScript program found: this is the plain file list');
    return { ranked: [], candidates: [], map, degraded: true };
  }
  const ranked = rankRepo(index.graph, extractSignals(input), { damping: opts.damping });
  const candidates = ranked
    .filter((r) => !r.isTest)
    .slice(0, opts.candidates ?? DEFAULT_CANDIDATES)
    .map((r) => ({
      file: r.file,
      score: Number(r.score.toFixed(4)),
      symbols: r.symbols.slice(0, CANDIDATE_SYMBOLS).map((s) => ({ name: s.parent ? `${s.parent}.${s.name}` : s.name, kind: s.kind, line: s.line, endLine: s.endLine })),
    }));
  const skipped = index.allFiles.length - index.program.files.length;
  const notes = [...index.program.notes];
  if (skipped > 0) notes.push(`${skipped} non-source or skipped files are not in the map (use list_files)`);
  return { ranked, candidates, map: renderRepoMap(ranked, mapTokens, notes), degraded: false };
}
