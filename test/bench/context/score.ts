/**
 * Scoring for the context bench (no model): file recall@k, file and symbol recall within a rendered
 * map, and the text-search baseline (ripgrep-style hit counts of the task's terms per file).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RepoIndex } from '../../../src/context/localize.ts';
import { isTestFile, type RankedFile } from '../../../src/context/rank.ts';
import { renderRepoMap } from '../../../src/context/render.ts';
import { wordsOf } from '../../../src/context/signals.ts';

export interface GoldSymbol { file: string; line: number; name: string }

/** Gold symbols: symbols of the gold files that a removed line or an insertion falls strictly inside. */
export function goldSymbols(index: RepoIndex, changed: Map<string, { removed: number[]; insertedBefore: number[] }>): GoldSymbol[] {
  const out: GoldSymbol[] = [];
  for (const [file, { removed, insertedBefore }] of changed) {
    const node = index.graph.files.get(file);
    if (!node) continue;
    for (const s of node.symbols) {
      // A member counts on its own; its class only when the change is outside every member.
      const inside = (l: number) => l >= s.line && l <= s.endLine;
      const strictly = (l: number) => l > s.line && l <= s.endLine;
      const members = node.symbols.filter((m) => m.parent === s.name && s.kind === 'class');
      const own = (l: number) => !members.some((m) => l >= m.line && l <= m.endLine);
      if (removed.some((l) => inside(l) && own(l)) || insertedBefore.some((l) => strictly(l) && own(l))) out.push({ file, line: s.line, name: s.name });
    }
  }
  return out;
}

/** `file` → the symbol start lines shown for it in a rendered map. */
export function mapEntries(map: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let file = '';
  for (const line of map.split('\n')) {
    if (line.startsWith('(note:') || line.startsWith('…')) continue;
    const sym = /^ {2}(\d+)-\d+ /.exec(line);
    if (sym && file) out.get(file)!.add(Number(sym[1]));
    else if (!line.startsWith(' ')) {
      file = line.replace(/ \(\d+ more symbols\)$/, '');
      out.set(file, new Set());
    }
  }
  return out;
}

/** Terms a text search would use: the task's identifiers and words (≥ 3 chars), lower-cased. */
function searchTerms(task: string): string[] {
  const raw = task.match(/[A-Za-z_$][\w$]{2,}/g) ?? [];
  const keep = new Set(wordsOf(task));
  return [...new Set(raw.map((t) => t.toLowerCase()).filter((t) => keep.has(t) || wordsOf(t).some((w) => keep.has(w))))];
}

/**
 * Baseline: files ranked by total case-insensitive hits of the task's terms (ties by path); symbols
 * of each file ranked by hits inside their own lines. Same parsed files and symbols as the map.
 */
export function textSearchRanking(index: RepoIndex, task: string): RankedFile[] {
  const terms = searchTerms(task);
  const count = (text: string) => terms.reduce((n, t) => n + (text.split(t).length - 1), 0);
  const ranked = index.program.files.map((file): RankedFile => {
    const lines = readFileSync(path.join(index.root, file), 'utf8').toLowerCase().split('\n');
    const score = count(lines.join('\n'));
    const symbols = (index.graph.files.get(file)?.symbols ?? []).map((s) => ({ ...s, score: count(lines.slice(s.line - 1, s.endLine).join('\n')) }));
    symbols.sort((a, b) => b.score - a.score || a.line - b.line);
    return { file, score, isTest: isTestFile(file), symbols };
  });
  return ranked.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : 1));
}

export interface InstanceScore {
  /** Rank (1-based, non-test files) of the worst-placed gold file; Infinity when one is missing. */
  worstRank: number;
  filesInMap: Record<number, boolean>;
  symbolsInMap: Record<number, { found: number; total: number }>;
}

/** Scores one ranking against the gold files and symbols, rendering maps at each budget in `budgets`. */
export function scoreRanking(ranked: RankedFile[], gold: string[], symbols: GoldSymbol[], budgets: number[], notes: string[] = []): InstanceScore {
  const order = ranked.filter((r) => !r.isTest).map((r) => r.file);
  const worstRank = Math.max(...gold.map((g) => (order.includes(g) ? order.indexOf(g) + 1 : Infinity)));
  const filesInMap: Record<number, boolean> = {};
  const symbolsInMap: Record<number, { found: number; total: number }> = {};
  for (const b of budgets) {
    const entries = mapEntries(renderRepoMap(ranked, b, notes));
    filesInMap[b] = gold.every((g) => entries.has(g));
    symbolsInMap[b] = { found: symbols.filter((s) => entries.get(s.file)?.has(s.line)).length, total: symbols.length };
  }
  return { worstRank, filesInMap, symbolsInMap };
}
