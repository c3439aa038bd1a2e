/**
 * The state validators share across iterations of one run: a warm ts-morph Project built from the
 * repository's own tsconfig (refreshed from disk for the files an edit touched), the base reader,
 * and the set of files changed so far. Creating the Project parses the whole program once; later
 * iterations only re-read what changed, which is what keeps warm validation cheap.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import { BaseReader, toPosix, type GitExec } from './base.ts';

/** Extensions the TypeScript-based validators look at. */
export const SCRIPT_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export class Workspace {
  readonly base: BaseReader;
  /** Every file touched by any run of this pipeline (repo-relative), cumulative. */
  readonly changed = new Set<string>();
  private projectCache: Project | undefined;
  private readonly textCache = new Map<string, string | undefined>();

  /**
   * `parseOnly`: the host only parses files (the repository's own TypeScript type-checks them in the
   * sandboxed worker), so the Project starts empty and takes files as they are asked for, and
   * `warm` has nothing to build.
   */
  constructor(
    readonly root: string,
    baseRef: string,
    git?: GitExec,
    private readonly opts: { parseOnly?: boolean } = {},
  ) {
    this.base = new BaseReader(root, baseRef, git);
  }

  /** The warm Project; built on first use from `<root>/tsconfig.json` (or strict defaults without one). */
  get project(): Project {
    if (!this.projectCache) {
      const tsconfig = path.join(this.root, 'tsconfig.json');
      this.projectCache = existsSync(tsconfig)
        ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: this.opts.parseOnly === true })
        : new Project({
            compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowJs: true, noEmit: true, skipLibCheck: true },
          });
    }
    return this.projectCache;
  }

  /**
   * Builds the Project with the default libraries and `types` packages parsed, through an empty
   * in-memory module removed again: the cold part of the first check of any file (1.2 s of remeda's
   * first validation, whose root tsconfig lists no files, 2026-12-02). Writes nothing to disk.
   */
  warm(): void {
    if (this.opts.parseOnly) return;
    const at = this.abs('__patchloop_warm__.ts');
    if (this.project.getSourceFile(at)) return; // a real file of that name: leave it alone
    const probe = this.project.createSourceFile(at, '');
    try {
      this.project.getProgram().compilerObject.getSyntacticDiagnostics(probe.compilerNode);
    } finally {
      this.project.removeSourceFile(probe);
    }
  }

  /** True when the host only parses (the repository's own TypeScript type-checks in the worker). */
  get parseOnly(): boolean {
    return this.opts.parseOnly === true;
  }

  /**
   * Where TypeScript's module resolution (the repository's tsconfig options: `paths`, `baseUrl`,
   * `moduleResolution`, self-reference) takes `spec` imported from repo-relative `fromRel`: an
   * absolute file, or undefined when it does not resolve. Reads only the file system: no program.
   */
  resolveModule(spec: string, fromRel: string): string | undefined {
    const r = ts.resolveModuleName(spec, this.abs(fromRel), this.project.getCompilerOptions(), ts.sys);
    return r.resolvedModule?.resolvedFileName;
  }

  /** Absolute path of a repo-relative one. */
  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Repo-relative POSIX path of an absolute one. */
  rel(abs: string): string {
    return toPosix(path.relative(this.root, abs));
  }

  /**
   * Starts an iteration: forgets cached disk text, records `touched` as changed and re-reads every
   * changed file into the Project (added when new, removed when deleted).
   */
  refresh(touched: string[]): void {
    this.textCache.clear();
    for (const f of touched) this.changed.add(toPosix(f));
    if (!this.projectCache) return; // built lazily, straight from disk
    for (const f of this.changed) this.syncFromDisk(f);
  }

  /** Current disk contents of a repo-relative file (cached for this iteration), undefined when absent. */
  text(rel: string): string | undefined {
    if (!this.textCache.has(rel)) {
      let t: string | undefined;
      try {
        t = readFileSync(this.abs(rel), 'utf8');
      } catch {
        t = undefined;
      }
      this.textCache.set(rel, t);
    }
    return this.textCache.get(rel);
  }

  /** The Project's source file for a repo-relative script path, in sync with disk; undefined when absent. */
  sourceFile(rel: string): SourceFile | undefined {
    if (!SCRIPT_EXT.test(rel)) return undefined;
    const abs = this.abs(rel);
    const sf = this.project.getSourceFile(abs);
    if (sf) return sf;
    return this.text(rel) === undefined ? undefined : this.project.addSourceFileAtPath(abs);
  }

  /** Replaces a file's in-memory text (used for base passes); `syncFromDisk` undoes it. */
  setText(rel: string, text: string): SourceFile {
    return this.project.createSourceFile(this.abs(rel), text, { overwrite: true });
  }

  /** Makes the Project's copy of `rel` match disk again. */
  syncFromDisk(rel: string): void {
    if (!SCRIPT_EXT.test(rel)) return;
    const abs = this.abs(rel);
    const sf = this.project.getSourceFile(abs);
    const disk = this.text(rel);
    if (disk === undefined) {
      if (sf) this.project.removeSourceFile(sf);
    } else if (!sf) {
      this.project.addSourceFileAtPath(abs);
    } else if (sf.getFullText() !== disk) {
      this.project.createSourceFile(abs, disk, { overwrite: true });
    }
  }
}

/** 1-based line and column of a 0-based offset in a ts-morph source file. */
export function lineCol(sf: SourceFile, pos: number): { line: number; column: number } {
  const lc = sf.compilerNode.getLineAndCharacterOfPosition(pos);
  return { line: lc.line + 1, column: lc.character + 1 };
}
