/**
 * Ranks a repository graph for a task (pure): each file gets a personalisation weight from the
 * task's signals (exact symbol names, word overlap with its path and symbols, IDF-weighted, paths
 * and stack frames named, files the failing tests import), then personalised PageRank spreads it
 * along "references" edges so the definitions the matched code relies on rank too.
 */
import path from 'node:path';
import { personalizedPageRank, type WeightedEdge } from './pagerank.ts';
import { wordsOf, type TaskSignals } from './signals.ts';
import type { FileNode, MapSymbol, RepoGraph } from './graph.ts';

/** Personalisation weights of each kind of evidence (relative, set by hand; `npm run bench` shows their effect). */
export const EVIDENCE_WEIGHT = {
  /** The file's path (or its tail) is written in the task or a stack frame. */
  pathNamed: 20,
  /** A failing test imports the file, or the test's name is this file's name plus `.test`. */
  testTarget: 10,
  /** An identifier in the text is the exact name of a symbol declared here (× IDF). */
  exactSymbol: 6,
  /** A task word matches a word of the file's base name (× IDF). */
  baseNameWord: 3,
  /** A task word matches a word of a symbol name here (× IDF, once per word). */
  symbolWord: 1,
  /** A task word matches a directory name on the file's path (× IDF; weak: whole folders match). */
  dirWord: 0.25,
  /** A test-name word matches (× IDF, once per word). */
  testWord: 0.5,
} as const;

/** Rank share kept by test files (they are read, rarely the place to fix). */
export const TEST_FILE_FACTOR = 0.3;
/** Weight of a "referenced by" (reverse) edge relative to a "references" edge. */
export const REVERSE_EDGE_WEIGHT = 0.2;

export interface RankedSymbol extends MapSymbol {
  score: number;
}

export interface RankedFile {
  file: string;
  /** Share of the rank (all files sum to 1). */
  score: number;
  isTest: boolean;
  /** Symbols, best first (ties by line). */
  symbols: RankedSymbol[];
}

export const isTestFile = (f: string): boolean => /(\.|_)(test|spec)\.[cm]?[jt]sx?$|(^|\/)(__tests__|test|tests)\//.test(f);

const stemOfTestFile = (f: string) => path.posix.basename(f).replace(/(\.(hidden|unit|int|e2e))?\.(test|spec)\.[cm]?[jt]sx?$/, '');
const stemOfFile = (f: string) => path.posix.basename(f).replace(/\.[cm]?[jt]sx?$/, '');

function idf(df: Map<string, number>, key: string, n: number): number {
  return Math.log(1 + n / Math.max(1, df.get(key) ?? 0));
}

/** Words of a file's directories, base name and symbol names (stems). */
function fileWords(node: FileNode) {
  const base = new Set(wordsOf(stemOfFile(node.file)));
  const dirs = new Set(wordsOf(path.posix.dirname(node.file)));
  const symbols = new Set(node.symbols.flatMap((s) => wordsOf(s.name)));
  return { base, dirs, symbols };
}

/**
 * Ranks every file of `graph` for `signals`, best first (ties by path, so output is deterministic).
 * @param opts.damping PageRank damping (default `DEFAULT_DAMPING`).
 */
export function rankRepo(graph: RepoGraph, signals: TaskSignals, opts: { damping?: number } = {}): RankedFile[] {
  const nodes = [...graph.files.keys()].sort();
  const n = Math.max(1, nodes.length);
  const words = new Map(nodes.map((f) => [f, fileWords(graph.files.get(f)!)]));
  const wordDf = new Map<string, number>();
  const nameDf = new Map<string, number>();
  for (const f of nodes) {
    const w = words.get(f)!;
    for (const x of new Set([...w.base, ...w.dirs, ...w.symbols])) wordDf.set(x, (wordDf.get(x) ?? 0) + 1);
    for (const name of new Set(graph.files.get(f)!.symbols.map((s) => s.name))) nameDf.set(name, (nameDf.get(name) ?? 0) + 1);
  }
  const personal = new Map<string, number>();
  const bump = (f: string, x: number) => personal.set(f, (personal.get(f) ?? 0) + x);
  for (const f of nodes) {
    const node = graph.files.get(f)!;
    const w = words.get(f)!;
    for (const name of new Set(node.symbols.map((s) => s.name))) if (signals.identifiers.has(name) && name.length >= 3) bump(f, EVIDENCE_WEIGHT.exactSymbol * idf(nameDf, name, n));
    for (const word of signals.words) {
      if (w.base.has(word)) bump(f, EVIDENCE_WEIGHT.baseNameWord * idf(wordDf, word, n));
      else if (w.dirs.has(word)) bump(f, EVIDENCE_WEIGHT.dirWord * idf(wordDf, word, n));
      if (w.symbols.has(word)) bump(f, EVIDENCE_WEIGHT.symbolWord * idf(wordDf, word, n));
    }
    for (const word of signals.testWords) if (w.base.has(word) || w.symbols.has(word)) bump(f, EVIDENCE_WEIGHT.testWord * idf(wordDf, word, n));
    for (const loc of signals.locations) if (f === loc.file || f.endsWith(`/${loc.file}`) || loc.file.endsWith(`/${f}`)) bump(f, EVIDENCE_WEIGHT.pathNamed);
  }
  for (const t of signals.testFiles) {
    const node = graph.files.get(t);
    if (node) for (const target of node.imports.keys()) bump(target, EVIDENCE_WEIGHT.testTarget);
    const stem = stemOfTestFile(t);
    for (const f of nodes) if (!isTestFile(f) && stemOfFile(f) === stem) bump(f, EVIDENCE_WEIGHT.testTarget);
  }
  // Hubs (a util imported by hundreds of files, a barrel importing hundreds) would soak up rank from
  // every match; edges into or out of them are damped by log2 of their degree, as IDF damps words.
  const indegree = new Map<string, number>();
  for (const f of nodes) for (const to of graph.files.get(f)!.imports.keys()) indegree.set(to, (indegree.get(to) ?? 0) + 1);
  const edges: WeightedEdge[] = [];
  for (const f of nodes) {
    const imports = graph.files.get(f)!.imports;
    for (const [to, names] of imports) {
      const w = 1 + Math.log1p(names.length);
      edges.push({ from: f, to, weight: w / Math.log2(2 + (indegree.get(to) ?? 0)) }, { from: to, to: f, weight: (w * REVERSE_EDGE_WEIGHT) / Math.log2(2 + imports.size) });
    }
  }
  const rank = personalizedPageRank(nodes, edges, personal, { damping: opts.damping });
  const importers = new Map<string, number>();
  for (const f of nodes) for (const [to, names] of graph.files.get(f)!.imports) for (const name of names) importers.set(`${to}#${name}`, (importers.get(`${to}#${name}`) ?? 0) + 1);
  const ranked = nodes.map((f): RankedFile => {
    const isTest = isTestFile(f);
    const score = (rank.get(f) ?? 0) * (isTest ? TEST_FILE_FACTOR : 1);
    const symbols = graph.files.get(f)!.symbols.map((s): RankedSymbol => {
      const own = wordsOf(s.name);
      let match = signals.identifiers.has(s.name) ? EVIDENCE_WEIGHT.exactSymbol : 0;
      if (s.parent && signals.qualified.has(`${s.parent}.${s.name}`)) match += EVIDENCE_WEIGHT.exactSymbol;
      for (const w of new Set(own)) if (signals.words.has(w)) match += EVIDENCE_WEIGHT.symbolWord;
      for (const w of new Set(own)) if (signals.testWords.has(w)) match += EVIDENCE_WEIGHT.testWord;
      for (const loc of signals.locations) if (loc.line !== undefined && loc.line >= s.line && loc.line <= s.endLine && (f.endsWith(loc.file) || loc.file.endsWith(f))) match += EVIDENCE_WEIGHT.pathNamed;
      const used = importers.get(`${f}#${s.name}`) ?? 0;
      return { ...s, score: score * (1 + match + Math.log1p(used) + (s.exported ? 0.5 : 0)) };
    });
    symbols.sort((a, b) => b.score - a.score || a.line - b.line);
    return { file: f, score, isTest, symbols };
  });
  const total = ranked.reduce((a, r) => a + r.score, 0) || 1;
  for (const r of ranked) {
    const k = 1 / total;
    r.score *= k;
    for (const s of r.symbols) s.score *= k;
  }
  return ranked.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
