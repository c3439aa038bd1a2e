/**
 * Renders a ranked repository into the `<repo_map>` block of the cached prefix (pure): files best
 * first, each with its symbols' line ranges and signatures, cut to a token budget. The same inputs
 * give byte-identical output, so the prompt cache keeps hitting across the calls of a run.
 */
import { CHARS_PER_TOKEN } from '../model/estimate.ts';
import type { RankedFile } from './rank.ts';

/** Symbols shown at most per file (the best ones, then listed in line order). */
export const MAX_SYMBOLS_PER_FILE = 24;

const tokensOf = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

function fileBlock(r: RankedFile, maxSymbols: number): string {
  const shown = r.symbols.slice(0, maxSymbols).sort((a, b) => a.line - b.line);
  const lines = [`${r.file}${r.symbols.length > shown.length ? ` (${r.symbols.length - shown.length} more symbols)` : ''}`];
  for (const s of shown) lines.push(`  ${s.line}-${s.endLine} ${s.parent ? `${s.parent}.` : ''}${s.signature}`);
  return lines.join('\n');
}

/**
 * Renders `ranked` within `maxTokens` (≈ 4 characters a token, like the budget's own estimate).
 * A file whose full block does not fit is shown with fewer symbols, then by name only; the files
 * left over are counted at the end.
 *
 * @param notes lines printed first (why the map is partial, or that it is a plain file list).
 */
export function renderRepoMap(ranked: RankedFile[], maxTokens: number, notes: string[] = []): string {
  const out: string[] = notes.map((n) => `(note: ${n})`);
  let used = tokensOf(out.join('\n'));
  let shown = 0;
  for (const r of ranked) {
    let block = '';
    for (const k of [MAX_SYMBOLS_PER_FILE, 8, 3, 0]) {
      const candidate = fileBlock(r, k);
      if (used + tokensOf(candidate) + 1 <= maxTokens - 12) {
        block = candidate;
        break;
      }
    }
    if (!block) break;
    out.push(block);
    used += tokensOf(block) + 1;
    shown++;
  }
  if (shown < ranked.length) out.push(`… ${ranked.length - shown} more files (use list_files / search)`);
  return out.join('\n');
}

/** The degraded map when there is no TypeScript program: the file list, with a note saying so. */
export function renderFileList(files: string[], maxTokens: number, note: string): string {
  const ranked = [...files].sort().map((file): RankedFile => ({ file, score: 0, isTest: false, symbols: [] }));
  return renderRepoMap(ranked, maxTokens, [note]);
}
