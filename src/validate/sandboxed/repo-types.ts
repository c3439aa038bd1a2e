/**
 * Validator 4 with the repository's own TypeScript (`<root>/node_modules/typescript`, as editors
 * do with "use workspace version"): loading it is loading repository code, so the program lives in
 * the sandboxed validation worker. Same method as the bundled checker (`typecheck.ts`): diagnostics
 * of the touched files and their direct importers, minus those present when every changed file is
 * swapped back to its base text (cached per changed-file set), so only new errors are reported.
 * Why: ts-morph 28 bundles TypeScript 6.0, whose defaults differ (`types: []` reports
 * `import { createHash } from 'crypto'` as TS2591 where the repository's tsc 5.x is silent; issue 12).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FixesAt } from '../autofix.ts';
import { BaseFindingsCache, newFindings } from '../base.ts';
import type { TypeFinding } from '../typecheck.ts';
import type { Finding } from '../types.ts';
import { SCRIPT_EXT, type Workspace } from '../workspace.ts';
import { DiagnosticsAnswer, FixesAnswer, parseAnswer } from './answers.ts';
import type { ValidationWorker } from './worker-client.ts';

/** True when the repository has its own TypeScript installed at `<root>/node_modules/typescript`. */
export function hasOwnTypeScript(root: string): boolean {
  return existsSync(path.join(root, 'node_modules', 'typescript', 'package.json'));
}

export class RepoTypeChecker {
  /** e.g. `typescript 5.9.3 (repository), sandboxed`; empty until the first answer. */
  source = '';
  private readonly baseCache = new BaseFindingsCache();

  constructor(
    private readonly ws: Workspace,
    private readonly worker: ValidationWorker,
  ) {}

  private async diagnostics(args: { touched: string[]; importersOf: string[]; overrides?: Record<string, string> }): Promise<{ files: string[]; findings: TypeFinding[] }> {
    const changed = [...this.ws.changed].filter((f) => SCRIPT_EXT.test(f)).map((f) => this.ws.abs(f));
    const abs = (fs: string[]) => fs.map((f) => this.ws.abs(f));
    const raw = await this.worker.request('types.diagnostics', { changed, touched: abs(args.touched), importersOf: abs(args.importersOf), overrides: args.overrides ?? {} });
    const answer = parseAnswer(DiagnosticsAnswer, 'types.diagnostics', raw);
    this.source = `typescript ${answer.version} (repository), sandboxed`;
    const inRepo = (rel: string) => !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.includes('node_modules/');
    const findings = answer.diagnostics
      .map((d): TypeFinding => ({ validator: 'types', file: this.ws.rel(d.file), line: d.line, column: d.column, rule: `TS${d.code}`, severity: 'error', message: d.message, start: d.start, length: d.length, code: d.code, source: this.source }))
      .filter((f) => inRepo(f.file));
    return { files: answer.files.map((f) => this.ws.rel(f)).filter(inRepo), findings };
  }

  /** New type errors in the touched script files and their direct importers, relative to base. */
  async check(touched: string[]): Promise<TypeFinding[]> {
    const scripts = touched.filter((f) => SCRIPT_EXT.test(f) && this.ws.text(f) !== undefined);
    if (scripts.length === 0) return [];
    const current = await this.diagnostics({ touched: scripts, importersOf: scripts });
    if (current.findings.length === 0) return [];
    const base = await this.baseDiagnostics(current.files);
    return newFindings(current.findings, base) as TypeFinding[];
  }

  private async baseDiagnostics(files: string[]): Promise<Finding[]> {
    const changed = [...this.ws.changed].filter((f) => SCRIPT_EXT.test(f)).sort();
    return this.baseCache.get(files, changed, async (missing) => {
      const overrides: Record<string, string> = {};
      // A file new since base is empty there (as in the bundled checker).
      for (const f of changed) overrides[this.ws.abs(f)] = (await this.ws.base.read(f)) ?? '';
      return (await this.diagnostics({ touched: missing, importersOf: [], overrides })).findings;
    });
  }

  /** TypeScript's code fixes for one finding, from the repository's TypeScript (untrusted, parsed). */
  readonly fixesAt: FixesAt = async (f) =>
    parseAnswer(FixesAnswer, 'types.fixes', await this.worker.request('types.fixes', { file: this.ws.abs(f.file), start: f.start, length: f.length, code: f.code }));
}
