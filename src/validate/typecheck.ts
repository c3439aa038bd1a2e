/**
 * Validator 4 — types: type-check with the repository's own tsconfig, reporting only diagnostics
 * that are NEW relative to base. This checker uses the TypeScript bundled with ts-morph, on the
 * host, and serves repositories without TypeScript of their own; otherwise the repository's runs
 * sandboxed (`sandboxed/repo-types.ts`, same method).
 *
 * Method: the checked files are the changed files plus the files that import them (a changed
 * signature breaks callers). Their diagnostics are computed twice in the same warm Project —
 * once as on disk, once with every changed file swapped to its `git show <base>:<file>` text
 * (new files become empty) — and subtracted as multisets keyed by file + code + message (see
 * `newFindings`). Base results are cached per changed-file set, so warm iterations pay one pass.
 */
import { ts, type SourceFile } from 'ts-morph';
import { bundledFixesAt, type FixesAt } from './autofix.ts';
import { BaseFindingsCache, newFindings } from './base.ts';
import type { Finding, ValidationInput, Validator } from './types.ts';
import { SCRIPT_EXT, lineCol, type Workspace } from './workspace.ts';

/** A new type error plus the raw diagnostic, for the auto-fixer. */
export interface TypeFinding extends Finding {
  start: number;
  length: number;
  code: number;
}

function diagnosticsOf(ws: Workspace, files: string[]): TypeFinding[] {
  const program = ws.project.getProgram().compilerObject;
  const out: TypeFinding[] = [];
  for (const file of files) {
    const sf = ws.project.getSourceFile(ws.abs(file));
    if (!sf) continue;
    const diags = [...program.getSyntacticDiagnostics(sf.compilerNode), ...program.getSemanticDiagnostics(sf.compilerNode)];
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      out.push({
        validator: 'types', file, ...lineCol(sf, d.start ?? 0), rule: `TS${d.code}`, severity: 'error',
        message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        start: d.start ?? 0, length: d.length ?? 0, code: d.code,
      });
    }
  }
  return out;
}

/** What the pipeline needs from a type checker: the bundled one here, or the repository's (`sandboxed/repo-types.ts`). */
export interface TypesBackend {
  check(touched: string[]): Promise<TypeFinding[]>;
  readonly fixesAt: FixesAt;
  readonly source: string;
}

/** Type-checker with a base cache; `check` returns the new diagnostics with their raw positions. */
export class TypeChecker {
  /** Which TypeScript answered (reported on findings and in the trace). */
  readonly source = `typescript ${ts.version} (bundled with ts-morph: the repository has none), host`;
  /** Safe code fixes from the same language service. */
  readonly fixesAt: FixesAt;
  private readonly baseCache = new BaseFindingsCache();

  constructor(private readonly ws: Workspace) {
    this.fixesAt = bundledFixesAt(ws);
  }

  /** Changed files plus their direct importers that are part of the program. */
  checkedFiles(touched: string[]): string[] {
    const set = new Set(touched.filter((f) => SCRIPT_EXT.test(f)));
    for (const f of [...set]) {
      const sf: SourceFile | undefined = this.ws.project.getSourceFile(this.ws.abs(f));
      for (const ref of sf?.getReferencingSourceFiles() ?? []) {
        const rel = this.ws.rel(ref.getFilePath());
        if (!rel.startsWith('..') && !rel.includes('node_modules/')) set.add(rel);
      }
    }
    return [...set];
  }

  /** New type errors in the checked files (touched + importers), relative to base. */
  async check(touched: string[]): Promise<TypeFinding[]> {
    for (const f of touched) this.ws.sourceFile(f); // make sure touched files are in the program
    const files = this.checkedFiles(touched);
    const current = diagnosticsOf(this.ws, files);
    if (current.length === 0) return [];
    const base = await this.baseDiagnostics(files);
    return (newFindings(current, base) as TypeFinding[]).map((f) => ({ ...f, source: this.source }));
  }

  private async baseDiagnostics(files: string[]): Promise<Finding[]> {
    const changed = [...this.ws.changed].filter((f) => SCRIPT_EXT.test(f)).sort();
    return this.baseCache.get(files, changed, async (missing) => {
      const baseTexts = await Promise.all(changed.map((f) => this.ws.base.read(f)));
      try {
        changed.forEach((f, i) => this.ws.setText(f, baseTexts[i] ?? ''));
        return diagnosticsOf(this.ws, missing);
      } finally {
        for (const f of changed) this.ws.syncFromDisk(f);
      }
    });
  }
}

/** Creates the types validator over a shared {@link TypeChecker}. */
export function createTypesValidator(checker: TypeChecker): Validator {
  return {
    name: 'types',
    async validate(input: ValidationInput): Promise<Finding[]> {
      const found = await checker.check(input.touchedFiles);
      return found.map(({ start: _s, length: _l, code: _c, ...f }) => ({ ...f, suggestion: suggestionFor(f.rule) }));
    },
  };
}

/** Short fix hints for the commonest codes (TypeScript 5.9 diagnostic numbers); undefined for others. */
export function suggestionFor(rule: string): string | undefined {
  const hints: Record<string, string> = {
    TS2322: 'return or assign a value of the declared type, or change the declared type if the caller expects the new one',
    TS2345: 'pass an argument of the parameter type',
    TS2304: 'declare or import the name',
    TS2307: 'import a module that exists',
    TS2339: 'use a property the type has (check for a missing await on a Promise)',
    TS2532: 'handle the undefined case (guard or default) instead of asserting',
    TS18048: 'handle the undefined case (guard or default) instead of asserting',
  };
  return hints[rule];
}
