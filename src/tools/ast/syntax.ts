/**
 * Syntax errors of a TS/JS file's text, as the edit tools report them: what a program holding just
 * that file reports (in memory, no lib, nothing resolved), so JS files also get the JS-only grammar
 * checks (types in a .js file). TypeScript's own API, the copy ts-morph bundles
 * (context/compiler.ts, already loaded for the repo map): no ts-morph project per check. Through
 * ts-morph, the first str_replace of a run loaded ts-morph (≈ 65 ms) and each check built a project,
 * ≈ 100 ms on the critical path of a run's first edit (2 cores, 2026-12-03).
 */
import path from 'node:path';
import type { ts as T } from 'ts-morph';
import { ts } from '../../context/compiler.ts';

/** Extensions the symbol tools (and the syntax check) handle. */
export const AST_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The options of the in-memory project the ts-morph based tools parse with (source.ts), plus no resolution. */
const OPTIONS: T.CompilerOptions = { allowJs: true, noLib: true, jsx: ts.JsxEmit.Preserve, noResolve: true, types: [] };

/** The last few answers: consecutive edits of one file check each text twice (as `after`, then as the next `before`). */
const recent = new Map<string, readonly string[]>();
const RECENT_MAX = 4;

/**
 * Syntax errors of `text` parsed as the file `rel` (by its extension), each as `line N: message`.
 * Parsed at the latest language version, as ts-morph's in-memory projects do.
 */
export function syntaxErrors(rel: string, text: string): readonly string[] {
  const ext = path.extname(rel).toLowerCase();
  const key = `${ext}\0${text}`;
  const known = recent.get(key);
  if (known) return known;
  const errors = diagnose(`/file${ext}`, text);
  recent.set(key, errors);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return errors;
}

function diagnose(name: string, text: string): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
  // A TS file's syntactic diagnostics are its parse diagnostics (what Program#getSyntacticDiagnostics
  // returns for it); a JS file also gets the JS-only grammar checks, which only a program runs.
  const parsed = (sf as unknown as { parseDiagnostics?: T.Diagnostic[] }).parseDiagnostics;
  const diagnostics = parsed && !/\.[cm]?jsx?$/.test(name) ? ts.sortAndDeduplicateDiagnostics(parsed) : programDiagnostics(sf, text);
  return diagnostics.map((d) => {
    const line = d.start === undefined ? '?' : sf.getLineAndCharacterOfPosition(d.start).line + 1;
    return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** The syntactic diagnostics of a program holding just `sf`. */
function programDiagnostics(sf: T.SourceFile, text: string): readonly T.Diagnostic[] {
  const name = sf.fileName;
  const host: T.CompilerHost = {
    getSourceFile: (f) => (f === name ? sf : undefined),
    fileExists: (f) => f === name,
    readFile: (f) => (f === name ? text : undefined),
    writeFile: () => undefined,
    getDefaultLibFileName: () => '/lib.d.ts',
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
  return ts.createProgram({ rootNames: [name], options: OPTIONS, host }).getSyntacticDiagnostics(sf);
}
