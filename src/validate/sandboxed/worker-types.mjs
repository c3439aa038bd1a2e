// Type-checking with the repository's own TypeScript (as editors do with "use workspace version"),
// inside the validation worker. One language service per tsconfig.json (the nearest one above a
// file, so a monorepo package is checked with its own settings); files are re-read when patchloop
// says they changed, and a request may swap in other texts (the base) for its duration only.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** @param ts the repository's `typescript` module; @param root absolute worktree root */
export function createTypeServices(ts, root) {
  const services = new Map();
  const versions = new Map(); // file → version, bumped on every change we are told about
  const overrides = new Map(); // file → text (null = absent), for one request
  const importsCache = new WeakMap(); // SourceFile → resolved import targets

  const bump = (f) => versions.set(f, (versions.get(f) ?? 0) + 1);
  const exists = (f) => (overrides.has(f) ? overrides.get(f) !== null : ts.sys.fileExists(f));
  const read = (f) => (overrides.has(f) ? (overrides.get(f) ?? undefined) : ts.sys.readFile(f));

  function nearestConfig(file) {
    for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
      const cfg = path.join(dir, 'tsconfig.json');
      if (existsSync(cfg)) return cfg;
      if (dir === root) break;
    }
    return '';
  }

  function serviceFor(file) {
    const key = nearestConfig(file);
    let svc = services.get(key);
    if (svc) return svc;
    let options = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowJs: true, noEmit: true, skipLibCheck: true };
    let names = [];
    if (key) {
      const parsed = ts.getParsedCommandLineOfConfigFile(key, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      if (parsed) {
        options = parsed.options;
        names = parsed.fileNames;
      }
    }
    const rootNames = new Set(names);
    const host = {
      getScriptFileNames: () => [...rootNames],
      getScriptVersion: (f) => String(versions.get(f) ?? 0),
      getScriptSnapshot: (f) => {
        const text = read(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => (key ? path.dirname(key) : root),
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: exists,
      readFile: read,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    const ls = ts.createLanguageService(host, ts.createDocumentRegistry());
    const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (x) => x, options);
    svc = { ls, rootNames, options, cache, config: key };
    services.set(key, svc);
    return svc;
  }

  /** Absolute files of the program that import `file` directly (node_modules and .d.ts left out). */
  function importers(svc, file) {
    const program = svc.ls.getProgram();
    const out = [];
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/') || sf.fileName === file) continue;
      let targets = importsCache.get(sf);
      if (!targets) {
        targets = [];
        for (const lit of sf.imports ?? []) {
          const r = ts.resolveModuleName(lit.text, sf.fileName, svc.options, ts.sys, svc.cache).resolvedModule;
          if (r) targets.push(r.resolvedFileName);
        }
        importsCache.set(sf, targets);
      }
      if (targets.includes(file)) out.push(sf.fileName);
    }
    return out;
  }

  function diagnosticsOf(svc, file) {
    const sf = svc.ls.getProgram().getSourceFile(file);
    if (!sf) return [];
    const diags = [...svc.ls.getSyntacticDiagnostics(file), ...svc.ls.getSemanticDiagnostics(file)];
    return diags
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const lc = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        return { file, line: lc.line + 1, column: lc.character + 1, code: d.code, start: d.start ?? 0, length: d.length ?? 0, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
      });
  }

  return {
    version: ts.version,

    /** Builds the program of each file's tsconfig now (the cold cost), so the first real check is warm. */
    warm(files) {
      for (const f of files) serviceFor(f).ls.getProgram();
    },

    /**
     * `{ changed, touched, importersOf, overrides }` (absolute paths): re-read `changed`, add `touched`
     * to their programs, apply `overrides` (text or null) for this request only, and return the
     * error diagnostics of `touched` plus, for `importersOf`, their direct importers.
     */
    diagnostics({ changed = [], touched = [], importersOf = [], overrides: swap = {} }) {
      for (const f of changed) bump(f);
      for (const f of touched) serviceFor(f).rootNames.add(f);
      for (const [f, text] of Object.entries(swap)) {
        overrides.set(f, text);
        bump(f);
      }
      try {
        const files = new Set(touched);
        for (const f of importersOf) for (const i of importers(serviceFor(f), f)) files.add(i);
        const diags = [];
        for (const f of files) diags.push(...diagnosticsOf(serviceFor(f), f));
        return { files: [...files], diagnostics: diags, version: ts.version };
      } finally {
        for (const f of Object.keys(swap)) {
          overrides.delete(f);
          bump(f);
        }
      }
    },

    /** TypeScript's code fixes for one diagnostic: `{ file, start, length, code }` (absolute file). */
    fixes({ file, start, length, code }) {
      const actions = serviceFor(file).ls.getCodeFixesAtPosition(file, start, start + length, [code], {}, { includeCompletionsForModuleExports: true });
      return actions.map((a) => ({
        fixName: a.fixName,
        description: a.description,
        changes: a.changes.map((c) => ({ fileName: c.fileName, isNewFile: Boolean(c.isNewFile), textChanges: c.textChanges.map((t) => ({ span: { start: t.span.start, length: t.span.length }, newText: t.newText })) })),
      }));
    },
  };
}
