/**
 * Shared machinery of the symbol tools: parse a file with ts-morph (in memory, one fresh project per
 * edit), check that an edit adds no syntax error, and lay out inserted code in the file's own
 * indentation and line-break style. Edits splice text at node ranges, so everything outside the edited
 * node stays byte-identical.
 */
import path from 'node:path';
import type { SourceFile, ts as T } from 'ts-morph';
import { ts as TS } from '../../context/compiler.ts';
import { lazyTsMorph } from './ts-morph.ts';
import { AST_EXTENSIONS, syntaxErrors } from './syntax.ts';
import { commitEdit } from '../define.ts';
import { ToolFailure } from '../failure.ts';
import { detectEol, withEol } from '../fsio.ts';
import type { SafePath } from '../paths.ts';
import type { ToolResult } from '../types.ts';

// ts-morph loads when a symbol tool first parses; the compiler API (TS) is the same copy, already loaded for the repo map.
const Project = lazyTsMorph('Project');

export { AST_EXTENSIONS, syntaxErrors };

/** Parses `text` as the file `rel`. Throws `ToolFailure` for an unsupported extension. */
export function parseSource(rel: string, text: string): SourceFile {
  const ext = path.extname(rel).toLowerCase();
  if (!AST_EXTENSIONS.includes(ext)) {
    throw new ToolFailure(
      `path: ${rel} is not a TypeScript/JavaScript file (${AST_EXTENSIONS.join(' ')}); use str_replace.`,
    );
  }
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, noLib: true, jsx: TS.JsxEmit.Preserve },
  });
  return project.createSourceFile(`/file${ext}`, text);
}

/**
 * Writes `after` only if it has no more syntax errors than `before` (so a file that was already
 * broken can still be repaired); otherwise throws `ToolFailure` quoting the first new error and leaves
 * the file untouched.
 */
export function checkedEdit(file: SafePath, before: string, after: string, what: string, note = ''): ToolResult {
  if (after === before) throw new ToolFailure('the edit changes nothing (the new text equals the old).');
  const was = syntaxErrors(file.rel, before);
  const now = syntaxErrors(file.rel, after);
  if (now.length > was.length || (was.length === 0 && now.length > 0)) {
    const fresh = now.find((e) => !was.includes(e)) ?? now[0];
    throw new ToolFailure(
      `the edit would leave ${file.rel} with a syntax error (${fresh}); nothing was written. Fix the code and retry.`,
    );
  }
  return commitEdit(file, before, after, what, note);
}

/** The file's indentation unit: a tab, or the most common positive step between space indents. */
export function indentUnit(text: string): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (lead.startsWith('\t')) tabs++;
    else if (lead.length > 0) spaces++;
    const width = lead.startsWith('\t') ? 0 : lead.length;
    if (width > prev) steps.set(width - prev, (steps.get(width - prev) ?? 0) + 1);
    prev = width;
  }
  if (tabs > spaces) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (step <= 8 && (count > bestCount || (count === bestCount && step < best))) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

/** Leading whitespace of the line containing offset `pos`. */
export function lineIndentAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Re-indents `code` (from the model) to sit at `base` in a file indented with `unit`: the code's
 * common indentation is removed, its own nesting levels are mapped to `unit`, and `base` is prefixed.
 * Lines inside a multi-line template literal are left exactly as written (their whitespace is data).
 * `rel` (the target file) decides how the snippet is parsed. Line breaks become `eol`. Returns the lines joined, without a trailing line break.
 */
export function layoutCode(code: string, base: string, unit: string, eol: '\n' | '\r\n', rel = 'snippet.tsx'): string {
  const text = code
    .replace(/\r\n/g, '\n')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
  const lines = text.split('\n');
  const frozen = templateLines(text, rel);
  const leads = lines.map((l, i) => (frozen.has(i) || l.trim() === '' ? null : (/^[ \t]*/.exec(l)?.[0] ?? '')));
  const widths = leads.filter((l): l is string => l !== null).map((l) => l.replace(/\t/g, '    ').length);
  const common = widths.length > 0 ? Math.min(...widths) : 0;
  const ownUnit = guessStep(widths.map((w) => w - common));
  const out = lines.map((line, i) => {
    const lead = leads[i];
    if (lead === null || lead === undefined) return frozen.has(i) ? line : '';
    const width = lead.replace(/\t/g, '    ').length - common;
    const level = Math.floor(width / ownUnit);
    const extra = width - level * ownUnit;
    return base + unit.repeat(level) + ' '.repeat(extra) + line.slice(lead.length);
  });
  return withEol(out.join('\n'), eol);
}

/** Smallest positive indentation width in the code (its nesting step), default 2. */
function guessStep(widths: number[]): number {
  const positive = widths.filter((w) => w > 0);
  return positive.length > 0 ? Math.min(...positive) : 2;
}

/** 0-based indexes of lines that begin inside a multi-line template literal in `code`. */
function templateLines(code: string, rel: string): Set<number> {
  const out = new Set<number>();
  // Parsed as the target file's kind: `<T>x` is a cast in .ts but JSX in .tsx.
  const ext = path.extname(rel).toLowerCase();
  const kind = ext === '.ts' || ext === '.mts' || ext === '.cts' ? TS.ScriptKind.TS : TS.ScriptKind.TSX;
  const sf = TS.createSourceFile(`snippet${ext}`, code, TS.ScriptTarget.Latest, true, kind);
  const lineStarts = sf.getLineStarts();
  const visit = (node: T.Node): void => {
    if (TS.isNoSubstitutionTemplateLiteral(node) || TS.isTemplateExpression(node)) {
      const start = node.getStart(sf);
      lineStarts.forEach((ls, i) => {
        if (ls > start && ls < node.end) out.add(i);
      });
    }
    TS.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The file's line-break style and indentation unit, for laying out inserted code. */
export function fileStyle(text: string): { eol: '\n' | '\r\n'; unit: string } {
  return { eol: detectEol(text), unit: indentUnit(text) };
}
