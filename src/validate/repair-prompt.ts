/**
 * Turns findings (validators and tests alike) into the user message of the repair step: grouped by
 * file, deduplicated, sorted by line, capped (saying how many were cut), plus the part of the diff
 * so far that the findings point at. The wording lives in `repair-prompt.md` beside this file.
 */
import { readFileSync } from 'node:fs';
import type { Finding, ValidatorName } from './types.ts';

const TEMPLATE = readFileSync(new URL('./repair-prompt.md', import.meta.url), 'utf8');
const ORDER: ValidatorName[] = ['syntax', 'completeness', 'imports', 'types', 'tests', 'security', 'lint', 'style'];
/** Diff hunks within this many lines of a finding count as relevant. */
const NEAR_LINES = 6;

export interface RepairPromptInput {
  findings: Finding[];
  /** Unified diff of the candidate against base (git diff output). */
  diff?: string;
  /** 1-based repair iteration. */
  iteration: number;
  /** Most findings listed; errors and cheaper validators are kept first. Default 20. */
  maxFindings?: number;
  /** Most diff lines included. Default 120. */
  maxDiffLines?: number;
}

/** One finding as one line: `path:line:col [validator/rule] message (fix: suggestion)`. */
export function formatFinding(f: Finding): string {
  const rule = f.rule.startsWith(`${f.validator}/`) ? f.rule : `${f.validator}/${f.rule}`;
  const sev = f.severity === 'warning' ? ' (warning)' : '';
  return `${f.file}:${f.line}:${f.column} [${rule}]${sev} ${f.message}${f.suggestion ? ` (fix: ${f.suggestion})` : ''}`;
}

interface Hunk {
  file: string;
  header: string[];
  lines: string[];
  newStart: number;
  newLen: number;
}

/** Splits a unified diff into hunks with the new-side range; a hunk's body is consumed by its counts. */
export function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  let file = '';
  let header: string[] = [];
  let cur: Hunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split('\n')) {
    if (cur && (oldLeft > 0 || newLeft > 0)) {
      cur.lines.push(line);
      if (line.startsWith('-')) oldLeft--;
      else if (line.startsWith('+')) newLeft--;
      else if (!line.startsWith('\\')) {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m) {
      oldLeft = Number(m[1] ?? 1);
      newLeft = Number(m[3] ?? 1);
      cur = { file, header: header.filter((h) => h.startsWith('--- ') || h.startsWith('+++ ')), lines: [line], newStart: Number(m[2]), newLen: newLeft };
      hunks.push(cur);
      continue;
    }
    if (line.startsWith('\\') && cur) {
      cur.lines.push(line);
      continue;
    }
    if (line.startsWith('diff --git') || (line.startsWith('--- ') && cur)) header = [];
    cur = undefined;
    if (line.startsWith('+++ ')) file = line.slice(4).replace(/^b\//, '').trim();
    header.push(line);
  }
  return hunks;
}

/** The hunks of `diff` near the findings (else of their files, else the first ones), capped at `maxLines`. */
export function diffExcerpt(diff: string, findings: Finding[], maxLines: number): string {
  const hunks = parseHunks(diff);
  if (hunks.length === 0) return '';
  const near = (h: Hunk) => findings.some((f) => f.file === h.file && f.line >= h.newStart - NEAR_LINES && f.line <= h.newStart + h.newLen + NEAR_LINES);
  let chosen = hunks.filter(near);
  if (chosen.length === 0) chosen = hunks.filter((h) => findings.some((f) => f.file === h.file));
  if (chosen.length === 0) chosen = hunks;
  const out: string[] = [];
  let lastFile = '';
  let cutHunks = 0;
  for (const h of chosen) {
    const block = [...(h.file !== lastFile ? h.header : []), ...h.lines];
    if (out.length + block.length > maxLines) {
      if (out.length === 0) out.push(...block.slice(0, maxLines));
      cutHunks++;
      continue;
    }
    out.push(...block);
    lastFile = h.file;
  }
  const omitted = hunks.length - chosen.length + cutHunks;
  if (omitted > 0) out.push(`(${omitted} other hunk(s) of the diff not shown)`);
  return out.join('\n');
}

/** Builds the repair message. Pure; never throws. */
export function buildRepairPrompt({ findings, diff, iteration, maxFindings = 20, maxDiffLines = 120 }: RepairPromptInput): string {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const k = `${f.file}:${f.line}:${f.column}:${f.rule}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : 100) + ORDER.indexOf(f.validator);
  const kept = [...unique].sort((a, b) => rank(a) - rank(b) || a.line - b.line).slice(0, Math.max(0, maxFindings));
  const byFile = new Map<string, Finding[]>();
  for (const f of kept) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const lines: string[] = [];
  for (const file of [...byFile.keys()].sort()) {
    lines.push(`## ${file || '(no file)'}`);
    for (const f of byFile.get(file)!.sort((a, b) => a.line - b.line || a.column - b.column)) lines.push(formatFinding(f));
  }
  const cut = unique.length - kept.length;
  if (cut > 0) lines.push(`(${cut} more finding(s) not shown; fix these first)`);
  if (unique.length === 0) lines.push('(no findings)');
  const excerpt = diff ? diffExcerpt(diff, kept, maxDiffLines) : '';
  return TEMPLATE.replace('{{iteration}}', String(iteration))
    .replace('{{findings}}', lines.join('\n'))
    .replace('{{diff}}', excerpt ? `The relevant part of your diff so far:\n\`\`\`diff\n${excerpt}\n\`\`\`\n` : '')
    .trimEnd();
}
