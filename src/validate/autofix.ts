/**
 * Deterministic repair before spending tokens: for a new type error where the TypeScript language
 * service offers exactly one code fix of a known-safe kind, apply it to the file on disk. Each fix
 * costs zero tokens and is recorded (file, fix id, unified diff) in the report.
 */
import { writeFileSync } from 'node:fs';
import { createPatch } from 'diff';
import type { TypeFinding } from './typecheck.ts';
import type { ValidationReport } from './types.ts';
import type { Workspace } from './workspace.ts';

/**
 * TS code fixes we trust to apply unattended: `fixName` (TypeScript 5.9 services/codefixes) → the
 * fix family reported. `fixId` is not used: TS leaves it undefined when a diagnostic is the only
 * one of its kind. The two missing-await variants are one family; the initializer form wins.
 */
export const SAFE_FIXES: Record<string, string> = {
  import: 'fixMissingImport',
  spelling: 'fixSpelling',
  addMissingAwaitToInitializer: 'addMissingAwait',
  addMissingAwait: 'addMissingAwait',
};

/** The parts of a TypeScript `CodeFixAction` used here (the bundled or the repository's TypeScript). */
export interface CodeFixLike {
  fixName: string;
  description: string;
  changes: readonly { fileName: string; isNewFile?: boolean; textChanges: readonly { span: { start: number; length: number }; newText: string }[] }[];
}

/** The code fixes TypeScript offers for one finding's diagnostic. */
export type FixesAt = (f: TypeFinding) => Promise<readonly CodeFixLike[]>;

/** {@link FixesAt} over the bundled TypeScript's language service in the warm ts-morph Project. */
export function bundledFixesAt(ws: Workspace): FixesAt {
  return async (f) => ws.project.getLanguageService().compilerObject.getCodeFixesAtPosition(ws.abs(f.file), f.start, f.start + f.length, [f.code], {}, { includeCompletionsForModuleExports: true });
}

/** The one action to apply among those offered, or undefined when none is safe or the choice is ambiguous. */
export function pickSafeAction<A extends CodeFixLike>(actions: readonly A[]): A | undefined {
  const safe = actions.filter((a) => SAFE_FIXES[a.fixName] !== undefined);
  const families = new Set(safe.map((a) => SAFE_FIXES[a.fixName]));
  if (families.size !== 1) return undefined; // none, or two different repairs for one error
  if (families.has('addMissingAwait')) return safe.find((a) => a.fixName === 'addMissingAwaitToInitializer') ?? (safe.length === 1 ? safe[0] : undefined);
  return safe.length === 1 ? safe[0] : undefined; // two candidate modules / two spellings: the model decides
}

/** Writes a file; injected so tests can observe writes. */
export type WriteFile = (absPath: string, text: string) => void;

/** Applies text changes to `text`, last first so earlier offsets stay valid. */
export function applyTextChanges(text: string, changes: CodeFixLike['changes'][number]['textChanges']): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.start + c.span.length);
  }
  return out;
}

/**
 * Tries one safe fix per new type finding. A fix is applied only when TypeScript offers exactly one
 * action among {@link SAFE_FIXES} (see {@link pickSafeAction}) for that diagnostic and all its edits
 * stay inside one touched file. Returns the fixes applied (empty = nothing changed on disk).
 */
export async function applySafeFixes(ws: Workspace, findings: TypeFinding[], touched: string[], fixesAt: FixesAt, write: WriteFile = (p, t) => writeFileSync(p, t)): Promise<ValidationReport['autoFixes']> {
  const applied: ValidationReport['autoFixes'] = [];
  const done = new Set<string>();
  for (const f of findings) {
    if (done.has(f.file) || !touched.includes(f.file)) continue; // one fix per file per round: offsets shift after a write
    let actions: readonly CodeFixLike[];
    try {
      actions = await fixesAt(f);
    } catch {
      continue;
    }
    const action = pickSafeAction(actions);
    if (!action) continue;
    const changes = action.changes;
    if (changes.length !== 1 || changes[0]!.fileName !== ws.abs(f.file) || changes[0]!.isNewFile) continue;
    const before = ws.text(f.file);
    if (before === undefined) continue;
    const after = applyTextChanges(before, changes[0]!.textChanges);
    if (after === before) continue;
    write(ws.abs(f.file), after);
    done.add(f.file);
    applied.push({ file: f.file, fix: `${SAFE_FIXES[action.fixName]!}: ${action.description}`, diff: createPatch(f.file, before, after, '', '', { context: 2 }) });
  }
  return applied;
}
