/**
 * `read_candidates`: the localisation step's one tool call — the plan phase reads the line ranges of
 * the ranked candidates (file → symbol → lines) at once instead of spending a turn per file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Tool, ToolContext, ToolResult } from '../tools/types.ts';
import { resolveForRead } from '../tools/paths.ts';
import { ToolFailure } from '../tools/failure.ts';
import type { Candidate } from './localize.ts';

/** Lines shown around each symbol's range. */
export const CANDIDATE_MARGIN_LINES = 3;
/** Characters of code returned at most (~6k tokens). */
export const CANDIDATE_MAX_CHARS = 24_000;

const schema = z.strictObject({
  top: z.number().int().min(1).max(8).optional().describe('How many of the best candidate files to read (1-8). Default 3.'),
});

const description = readFileSync(new URL('./read-candidates.md', import.meta.url), 'utf8').trim();

/** Merges overlapping or adjacent [start, end] ranges. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

function readCandidate(c: Candidate, ctx: ToolContext, budget: number): string {
  const file = resolveForRead(ctx, c.file);
  if (!file.exists) return `${c.file}: no longer exists`;
  const lines = readFileSync(file.abs, 'utf8').split(/\r?\n/);
  const ranges = c.symbols.length > 0
    ? mergeRanges(c.symbols.map((s) => [Math.max(1, s.line - CANDIDATE_MARGIN_LINES), Math.min(lines.length, s.endLine + CANDIDATE_MARGIN_LINES)]))
    : [[1, Math.min(lines.length, 60)] as [number, number]];
  const out = [`=== ${file.rel} (${lines.length} lines; ${c.symbols.map((s) => `${s.name} ${s.line}-${s.endLine}`).join(', ') || 'no symbols'})`];
  let chars = 0;
  for (const [start, end] of ranges) {
    for (let n = start; n <= end; n++) {
      const text = `${String(n).padStart(5)}| ${(lines[n - 1] ?? '').slice(0, 2000)}`;
      if (chars + text.length > budget) {
        out.push(`[cut at line ${n}: read the rest with read_file]`);
        return out.join('\n');
      }
      out.push(text);
      chars += text.length + 1;
    }
    if (end < lines.length) out.push('   …');
  }
  return out.join('\n');
}

/** The tool over a fixed candidate list (the run's localisation; stable for the whole run). */
export function readCandidatesTool(candidates: Candidate[]): Tool {
  const { $schema: _drop, ...inputSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  return {
    spec: { name: 'read_candidates', description, input_schema: inputSchema as Tool['spec']['input_schema'] },
    readOnly: true,
    async run(input: unknown, ctx: ToolContext): Promise<ToolResult> {
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, llmContent: `Invalid input for read_candidates: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`, display: 'read_candidates: bad input' };
      if (candidates.length === 0) return { ok: true, llmContent: 'There are no ranked candidates for this repository; use search and read_file.', display: 'read_candidates: none' };
      const chosen = candidates.slice(0, parsed.data.top ?? 3);
      const parts: string[] = [];
      let left = CANDIDATE_MAX_CHARS;
      for (const c of chosen) {
        try {
          const part = readCandidate(c, ctx, Math.max(2_000, Math.floor(left / (chosen.length - parts.length))));
          parts.push(part);
          left -= part.length;
        } catch (err) {
          parts.push(`${c.file}: ${err instanceof ToolFailure ? err.message : String(err)}`);
        }
      }
      return { ok: true, llmContent: parts.join('\n\n'), display: `read ${chosen.length} candidates: ${chosen.map((c) => c.file).join(', ')}` };
    },
  };
}
