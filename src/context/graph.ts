/**
 * The repository graph the map is ranked on, read from the TypeScript syntax trees of a loaded
 * program: each file's top-level symbols (and class members) with signatures and line ranges, and
 * who references whom — an edge from a file to each file it imports, re-exports or `require`s, as
 * resolved by the compiler's own module resolution (path aliases, `.js` → `.ts`, index files).
 */
import path from 'node:path';
import type { ts as T } from 'ts-morph';
import { ts } from './compiler.ts';
import { FactsCache, factsKey, type FileFacts } from './facts-cache.ts';
import type { LoadedProgram } from './program.ts';

export type SymbolKind = 'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'namespace' | 'method' | 'property';

/** One declaration; lines are 1-based and inclusive. */
export interface MapSymbol {
  name: string;
  kind: SymbolKind;
  line: number;
  endLine: number;
  /** The declaration's head on one line (no body), at most `SIGNATURE_MAX_CHARS`. */
  signature: string;
  exported: boolean;
  /** Enclosing class for members. */
  parent?: string;
}

export interface FileNode {
  /** Repo-relative POSIX path. */
  file: string;
  symbols: MapSymbol[];
  /** Files this one imports → names imported from each (`*` for a namespace or side-effect import). */
  imports: Map<string, string[]>;
  lines: number;
}

export interface RepoGraph {
  files: Map<string, FileNode>;
}

/** Longest signature kept in the map (characters). */
export const SIGNATURE_MAX_CHARS = 160;

function isExported(node: T.Node): boolean {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** The declaration text up to its body (`{` of a block, or `=>`/`=` initializer), on one line. */
function signatureOf(node: T.Node, sf: T.SourceFile): string {
  const start = node.getStart(sf);
  let end = node.getEnd();
  const body = (node as { body?: T.Node }).body;
  if (body) end = body.getStart(sf);
  else if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node)) {
    const brace = sf.text.indexOf('{', start);
    if (brace > 0 && brace < end) end = brace;
  } else if (ts.isVariableDeclaration(node) && node.initializer) {
    const init = node.initializer;
    end = ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? (init.body.getStart(sf)) : Math.min(end, init.getStart(sf) + 40);
  }
  const raw = sf.text.slice(start, end).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/[^\n]*/g, '$1');
  let text = raw.replace(/\s+/g, ' ').trim().replace(/\s*(=>|=|\{|;)?$/, '');
  if (ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent)) {
    const list = node.parent;
    const keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    text = `${isExported(list.parent) ? 'export ' : ''}${keyword} ${text}`;
  }
  return text.length > SIGNATURE_MAX_CHARS ? `${text.slice(0, SIGNATURE_MAX_CHARS - 1)}…` : text;
}

function lineOf(sf: T.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function symbolsOf(sf: T.SourceFile): MapSymbol[] {
  const out: MapSymbol[] = [];
  const add = (node: T.Node, name: string, kind: SymbolKind, exported: boolean, parent?: string, sigNode: T.Node = node) => {
    out.push({ name, kind, line: lineOf(sf, node.getStart(sf)), endLine: lineOf(sf, node.getEnd()), signature: signatureOf(sigNode, sf), exported, ...(parent ? { parent } : {}) });
  };
  for (const st of sf.statements) {
    const exported = isExported(st);
    if (ts.isFunctionDeclaration(st) && st.name) add(st, st.name.text, 'function', exported);
    else if (ts.isClassDeclaration(st) && st.name) {
      add(st, st.name.text, 'class', exported);
      for (const m of st.members) {
        const name = m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : undefined;
        if (ts.isConstructorDeclaration(m)) add(m, 'constructor', 'method', exported, st.name.text);
        else if (name && (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m))) add(m, name, 'method', exported, st.name.text);
        else if (name && ts.isPropertyDeclaration(m) && m.initializer && (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer))) add(m, name, 'method', exported, st.name.text);
      }
    } else if (ts.isInterfaceDeclaration(st)) add(st, st.name.text, 'interface', exported);
    else if (ts.isTypeAliasDeclaration(st)) add(st, st.name.text, 'type', exported);
    else if (ts.isEnumDeclaration(st)) add(st, st.name.text, 'enum', exported);
    else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) add(st, st.name.text, 'namespace', exported);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.initializer ? st : d, d.name.text, 'variable', exported, undefined, d);
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: exports.name = … / module.exports.name = …
      const left = st.expression.left;
      if (ts.isPropertyAccessExpression(left) && /^(module\.)?exports$/.test(left.expression.getText(sf))) add(st, left.name.text, 'variable', true);
    }
  }
  return mergeOverloads(out);
}

/** Overload signatures and their implementation become one symbol spanning them all. */
function mergeOverloads(symbols: MapSymbol[]): MapSymbol[] {
  const out: MapSymbol[] = [];
  const overloads = new Map<string, number>();
  for (const s of symbols) {
    const prev = out.at(-1);
    if (prev && s.kind === prev.kind && (s.kind === 'function' || s.kind === 'method') && s.name === prev.name && s.parent === prev.parent) {
      prev.endLine = Math.max(prev.endLine, s.endLine);
      overloads.set(prev.name, (overloads.get(prev.name) ?? 1) + 1);
      prev.signature = `${prev.signature.replace(/ \(\+\d+ overloads\)$/, '')} (+${overloads.get(prev.name)! - 1} overloads)`;
      continue;
    }
    overloads.delete(s.name);
    out.push(s);
  }
  return out;
}

/** Module specifiers with the names they bring in: imports, re-exports, `require()` and `import()`. */
function specifiersOf(sf: T.SourceFile): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (spec: string, names: string[]) => out.set(spec, [...(out.get(spec) ?? []), ...names]);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const names: string[] = [];
      if (c?.name) names.push('default');
      if (c?.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) names.push((e.propertyName ?? e.name).text);
      else if (c?.namedBindings) names.push('*');
      add(st.moduleSpecifier.text, names.length ? names : ['*']);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const names = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      add(st.moduleSpecifier.text, names);
    }
  }
  if (/\.(c|m)?jsx?$/.test(sf.fileName) || sf.text.includes('import(')) {
    const visit = (node: T.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)
        && ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)) add((node.arguments[0] as T.StringLiteral).text, ['*']);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Parses one file for its facts (symbols, specifiers, lines). */
function factsOf(abs: string, text: string, target: T.ScriptTarget): FileFacts {
  const sf = ts.createSourceFile(abs, text, target, true);
  return { symbols: symbolsOf(sf), specifiers: [...specifiersOf(sf)], lines: sf.getLineAndCharacterOfPosition(sf.end).line + 1 };
}

/**
 * Builds the graph of a loaded program. Imports that resolve outside the parsed files (packages,
 * missing files) are dropped. With `cache`, a file whose text was indexed before is not parsed again;
 * module resolution always runs, since it depends on the other files and the tsconfigs.
 */
export function buildRepoGraph(root: string, program: LoadedProgram, cache: FactsCache = new FactsCache(null)): RepoGraph {
  const options = program.options;
  const resolution = ts.createModuleResolutionCache(root, (f) => f, options);
  const known = new Set(program.files);
  const files = new Map<string, FileNode>();
  for (const rel of program.files) {
    const abs = path.join(root, rel);
    const text = program.texts.get(abs)!;
    const facts = cache.get(factsKey(abs, program.target, text), () => factsOf(abs, text, program.target));
    const imports = new Map<string, string[]>();
    for (const [spec, names] of facts.specifiers) {
      if (!spec.startsWith('.') && !spec.startsWith('/') && !options.paths?.[spec] && !Object.keys(options.paths ?? {}).some((k) => k.endsWith('*') && spec.startsWith(k.slice(0, -1)))) continue;
      const resolved = ts.resolveModuleName(spec, abs, options, ts.sys, resolution).resolvedModule?.resolvedFileName;
      if (!resolved) continue;
      const target = path.relative(root, resolved).split(path.sep).join('/');
      if (!known.has(target) || target === rel) continue;
      imports.set(target, [...new Set([...(imports.get(target) ?? []), ...names])]);
    }
    files.set(rel, { file: rel, symbols: facts.symbols, imports, lines: facts.lines });
  }
  return { files };
}
