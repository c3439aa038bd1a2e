/**
 * Validator 1 — syntax: the TypeScript parser's diagnostics for every touched script file.
 * Cheapest check; when it fails, the heavier validators are skipped (their output would be noise).
 */
import { ts } from 'ts-morph';
import type { Finding, ValidationInput, Validator } from './types.ts';
import { SCRIPT_EXT, lineCol, type Workspace } from './workspace.ts';

/** Creates the syntax validator over a shared {@link Workspace}. Never throws for bad code. */
export function createSyntaxValidator(ws: Workspace): Validator {
  return {
    name: 'syntax',
    async validate(input: ValidationInput): Promise<Finding[]> {
      const out: Finding[] = [];
      for (const file of input.touchedFiles.filter((f) => SCRIPT_EXT.test(f))) {
        const sf = ws.sourceFile(file);
        if (!sf) continue;
        const diags = syntacticDiagnostics(sf.compilerNode);
        for (const d of diags) {
          const { line, column } = lineCol(sf, d.start ?? 0);
          out.push({
            validator: 'syntax',
            file,
            line,
            column,
            rule: `TS${d.code}`,
            message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
            severity: 'error',
            suggestion: 'fix the syntax error; if the file was cut off, write the whole rest of it',
          });
        }
      }
      return out;
    },
  };
}

/**
 * The parser's diagnostics of one file (plus, for JavaScript, TypeScript-only syntax), from a
 * program of that file alone: no default libraries, no imports resolved. The whole project's
 * program would cost the repository's every file and the libraries (seconds, cold) for the same answer.
 */
export function syntacticDiagnostics(sf: ts.SourceFile): readonly ts.Diagnostic[] {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === sf.fileName ? sf : undefined);
  host.fileExists = (name) => name === sf.fileName;
  host.readFile = () => undefined;
  return ts.createProgram({ rootNames: [sf.fileName], options, host }).getSyntacticDiagnostics(sf);
}
