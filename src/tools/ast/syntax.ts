/**
 * Syntax errors of a TS/JS file's text, as the edit tools report them: the diagnostics of a program
 * holding just that file (in memory, no lib, nothing resolved), so JS files also get the JS-only
 * grammar checks (types in a .js file). TypeScript's own API, the copy ts-morph bundles
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

/**
 * Syntax errors of `text` parsed as the file `rel` (by its extension), each as `line N: message`.
 * Parsed at the latest language version, as ts-morph's in-memory projects do.
 */
export function syntaxErrors(rel: string, text: string): string[] {
  const name = `/file${path.extname(rel).toLowerCase()}`;
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
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
  const program = ts.createProgram({ rootNames: [name], options: OPTIONS, host });
  return program.getSyntacticDiagnostics(sf).map((d) => {
    const line = d.start === undefined ? '?' : sf.getLineAndCharacterOfPosition(d.start).line + 1;
    return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
