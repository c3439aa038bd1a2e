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
  const seenText = new Map(); // file → disk text at its current version
  const diskText = new Map(); // file → the disk text last read (kept across a request's swap)
  // Importer file → its diagnostics, its version, the export surface of each touched file it
  // imports at the time, and the epoch: reused while all are unchanged (a body-only edit cannot
  // break callers). The surfaces only cover the request's own files; any other file whose text
  // changed (one an earlier session or iteration touched and put back, or a touched file since
  // deleted) starts a new epoch, since an importer may depend on it too.
  const importerCache = new Map();
  let epoch = 0;
  let cacheHits = 0; // importers answered from the cache in the current request

  const bump = (f) => versions.set(f, (versions.get(f) ?? 0) + 1);
  /**
   * New version only when the text differs from the program's (patchloop resends every changed
   * file). True when the disk text differs from the last one read (or the file is new to us).
   */
  const refresh = (f) => {
    const text = ts.sys.readFile(f);
    const moved = !diskText.has(f) || diskText.get(f) !== text;
    diskText.set(f, text);
    if (seenText.has(f) && seenText.get(f) === text) return moved;
    seenText.set(f, text);
    bump(f);
    return moved;
  };
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

  /** A file's export surface: each export's name, kind and type (declaration text for types and classes). */
  function surfaceOf(svc, file) {
    const program = svc.ls.getProgram();
    const sf = program.getSourceFile(file);
    if (!sf) return '';
    const checker = program.getTypeChecker();
    const mod = checker.getSymbolAtLocation(sf);
    if (!mod) return sf.text; // a script: its globals are its surface, compare the whole text
    const parts = [];
    for (const e of checker.getExportsOfModule(mod)) {
      let target = e;
      if (e.flags & ts.SymbolFlags.Alias) {
        try {
          target = checker.getAliasedSymbol(e);
        } catch {
          // unresolvable alias: its name alone
        }
      }
      const decls = target.declarations ?? [];
      let shape = '';
      if (target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Class | ts.SymbolFlags.Enum | ts.SymbolFlags.Namespace)) shape += decls.map((d) => d.getText()).join('\n');
      if (target.flags & ts.SymbolFlags.Value && decls[0]) shape += checker.typeToString(checker.getTypeOfSymbolAtLocation(target, decls[0]), undefined, ts.TypeFormatFlags.NoTruncation);
      parts.push(`${e.name}\u0000${target.flags}\u0000${shape}`);
    }
    return parts.sort().join('\n');
  }

  /** Diagnostics of importer `file`, reused when neither it nor the surface of the touched files it imports changed. */
  function importerDiagnostics(svc, file, touchedSurfaces) {
    const deps = {};
    const imported = importsCache.get(svc.ls.getProgram().getSourceFile(file)) ?? [];
    for (const t of imported) if (touchedSurfaces.has(t)) deps[t] = touchedSurfaces.get(t);
    const version = versions.get(file) ?? 0;
    const hit = importerCache.get(file);
    if (hit && hit.version === version && hit.epoch === epoch && Object.keys(deps).every((t) => hit.deps[t] === deps[t])) {
      cacheHits++;
      return hit.diags;
    }
    const diags = diagnosticsOf(svc, file);
    importerCache.set(file, { version, deps, epoch, diags });
    return diags;
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
     * error diagnostics of `touched` plus, for `importersOf`, their direct importers:
     * `{ files, diagnostics, version, importersCached }` (the last: importers answered from the cache).
     */
    diagnostics({ changed = [], touched = [], importersOf = [], overrides: swap = {} }) {
      const tracked = new Set(importersOf);
      for (const f of changed) if (refresh(f) && !tracked.has(f)) epoch++;
      cacheHits = 0;
      for (const f of touched) serviceFor(f).rootNames.add(f);
      const swapped = Object.keys(swap).length > 0;
      for (const [f, text] of Object.entries(swap)) {
        overrides.set(f, text);
        bump(f);
      }
      try {
        const diags = [];
        for (const f of touched) diags.push(...diagnosticsOf(serviceFor(f), f));
        const files = new Set(touched);
        const surfaces = new Map(importersOf.map((f) => [f, surfaceOf(serviceFor(f), f)]));
        for (const f of importersOf) {
          for (const i of importers(serviceFor(f), f)) {
            if (files.has(i)) continue;
            files.add(i);
            // The base pass (texts swapped) is computed afresh and never cached.
            diags.push(...(swapped ? diagnosticsOf(serviceFor(i), i) : importerDiagnostics(serviceFor(i), i, surfaces)));
          }
        }
        return { files: [...files], diagnostics: diags, version: ts.version, importersCached: cacheHits };
      } finally {
        for (const f of Object.keys(swap)) {
          overrides.delete(f);
          seenText.delete(f);
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
