/**
 * Deterministic repair before spending tokens: for a new type error where the TypeScript language
 * service offers exactly one code fix of a known-safe kind, apply it to the file on disk. Each fix
 * costs zero tokens and is recorded (file, fix id, unified diff) in the report.
 */
import { writeFileSync } from 'node:fs';
import { createPatch } from 'diff';
import { ts } from 'ts-morph';
import type { TypeFinding } from './typecheck.ts';
import type { ValidationReport } from './types.ts';
import type { Workspace } from './workspace.ts';

/** TS code-fix ids we trust to apply unattended (TypeScript 5.9 `fixId`s). */
export const SAFE_FIX_IDS = ['fixMissingImport', 'fixSpelling', 'addMissingAwait'] as const;

/** Writes a file; injected so tests can observe writes. */
export type WriteFile = (absPath: string, text: string) => void;

/** Applies text changes to `text`, last first so earlier offsets stay valid. */
export function applyTextChanges(text: string, changes: readonly ts.TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.start + c.span.length);
  }
  return out;
}

/**
 * Tries one safe fix per new type finding. A fix is applied only when the language service offers
 * exactly one action among {@link SAFE_FIX_IDS} for that diagnostic and all its edits stay inside
 * one touched file. Returns the fixes applied (empty = nothing changed on disk).
 */
export function applySafeFixes(ws: Workspace, findings: TypeFinding[], touched: string[], write: WriteFile = (p, t) => writeFileSync(p, t)): ValidationReport['autoFixes'] {
  const ls = ws.project.getLanguageService().compilerObject;
  const applied: ValidationReport['autoFixes'] = [];
  const done = new Set<string>();
  for (const f of findings) {
    if (done.has(f.file) || !touched.includes(f.file)) continue; // one fix per file per round: offsets shift after a write
    let actions: readonly ts.CodeFixAction[];
    try {
      actions = ls.getCodeFixesAtPosition(ws.abs(f.file), f.start, f.start + f.length, [f.code], {}, { includeCompletionsForModuleExports: true });
    } catch {
      continue;
    }
    const safe = actions.filter((a) => (SAFE_FIX_IDS as readonly string[]).includes(a.fixId as string));
    if (safe.length !== 1) continue; // none or ambiguous (two candidate modules, two spellings): leave it to the model
    const action = safe[0]!;
    const changes = action.changes;
    if (changes.length !== 1 || changes[0]!.fileName !== ws.abs(f.file) || changes[0]!.isNewFile) continue;
    const before = ws.text(f.file);
    if (before === undefined) continue;
    const after = applyTextChanges(before, changes[0]!.textChanges);
    if (after === before) continue;
    write(ws.abs(f.file), after);
    done.add(f.file);
    applied.push({ file: f.file, fix: `${action.fixId as string}: ${action.description}`, diff: createPatch(f.file, before, after, '', '', { context: 2 }) });
  }
  return applied;
}
