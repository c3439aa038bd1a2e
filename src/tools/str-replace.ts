/**
 * `str_replace`: replaces one exact, unique occurrence of `old_str`. No match → the closest lines are
 * shown; several → their line numbers. A file with CRLF line breaks accepts LF-only `old_str`.
 */
import path from 'node:path';
import { z } from 'zod';
import { commitEdit, defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { detectEol, readTextForEdit, withEol } from './fsio.ts';
import { resolveForWrite } from './paths.ts';
import { AST_EXTENSIONS, syntaxErrors } from './ast/syntax.ts';
import type { Tool } from './types.ts';

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of an existing file.'),
  old_str: z.string().min(1).describe('Exact text to replace, including whitespace; must occur exactly once.'),
  new_str: z.string().describe('Replacement text (may be empty to delete).'),
});

export function strReplaceTool(): Tool {
  return defineTool({
    name: 'str_replace',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      const before = readTextForEdit(file);
      let oldStr = op.old_str;
      let newStr = op.new_str;
      if (detectEol(before) === '\r\n' && !oldStr.includes('\r\n') && !before.includes(oldStr)) {
        oldStr = withEol(oldStr, '\r\n');
        newStr = withEol(newStr, '\r\n');
      }
      const at = occurrences(before, oldStr);
      if (at.length === 0) throw new ToolFailure(noMatchMessage(file.rel, before, op.old_str));
      if (at.length > 1) {
        const lines = at.map((i) => lineOf(before, i)).join(', ');
        throw new ToolFailure(
          `old_str occurs ${at.length} times in ${file.rel} (starting at lines ${lines}); include more surrounding lines so it is unique.`,
        );
      }
      const i = at[0] as number;
      const after = before.slice(0, i) + newStr + before.slice(i + oldStr.length);
      if (after === before) throw new ToolFailure('new_str is identical to old_str; nothing to change.');
      return commitEdit(
        file,
        before,
        after,
        `str_replace at line ${lineOf(before, i)}`,
        syntaxNote(file.rel, before, after),
      );
    },
  });
}

/** Start offsets of every (possibly overlapping) occurrence of `needle` in `hay`. */
export function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** 1-based line number of offset `i`. */
function lineOf(text: string, i: number): number {
  let n = 1;
  for (let k = text.indexOf('\n'); k !== -1 && k < i; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

/** Lines of context shown around the closest match. */
const NEAR_CONTEXT = 3;

/**
 * The error for a missing `old_str`: finds the file window (as many lines as `old_str` has) sharing
 * the most trimmed lines with `old_str`, tie-broken by character overlap of the first line, and shows it
 * numbered so the model can copy the exact text.
 */
function noMatchMessage(rel: string, text: string, oldStr: string): string {
  const lines = text.split(/\r?\n/);
  const want = oldStr.split(/\r?\n/).map((l) => l.trim());
  const wantSet = new Set(want.filter((l) => l !== ''));
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < lines.length; i++) {
    let score = 0;
    for (let k = 0; k < want.length && i + k < lines.length; k++) {
      const l = (lines[i + k] as string).trim();
      if (l !== '' && wantSet.has(l)) score += 1000;
    }
    score += commonPrefix((lines[i] as string).trim(), want[0] ?? '');
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  let head = `old_str was not found in ${rel} (whitespace and line breaks must match exactly).`;
  if (oldStr.split(/\r?\n/).every((l) => /^\s*\d+\| /.test(l))) {
    head += ' It looks like it includes the "  12| " line-number prefixes from read_file; leave them out.';
  }
  if (best < 0 || bestScore < 4) return `${head} Nothing similar found; read_file the file first.`;
  const from = Math.max(0, best - NEAR_CONTEXT);
  const to = Math.min(lines.length, best + want.length + NEAR_CONTEXT);
  const width = String(to).length;
  const shown = lines.slice(from, to).map((l, k) => `${String(from + k + 1).padStart(width + 2)}| ${l}`);
  return `${head} Closest lines:\n${shown.join('\n')}`;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * For a TS/JS file, a warning when the replacement added syntax errors. str_replace still writes
 * (it is the tool for any text, including half-done multi-step edits) but the model should know.
 */
function syntaxNote(rel: string, before: string, after: string): string {
  if (!AST_EXTENSIONS.includes(path.extname(rel).toLowerCase())) return '';
  const now = syntaxErrors(rel, after);
  if (now.length === 0) return ''; // the usual case: no need to parse the text before the edit
  const was = syntaxErrors(rel, before);
  const fresh = now.filter((e) => !was.includes(e));
  if (now.length <= was.length || fresh.length === 0) return '';
  return ` Warning: ${rel} now has a syntax error (${fresh[0]}); fix it before finishing.`;
}
