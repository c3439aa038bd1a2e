/**
 * Validator 3 — imports: every import / export-from / dynamic import / require in a touched file
 * must resolve. Relative paths must exist (TS extension rules: `.js`→`.ts`, index files); bare
 * specifiers must be declared in package.json (dependencies, devDependencies, peerDependencies)
 * AND installed; named imports must exist in the target's exports. Catches hallucinated packages
 * and symbols before the (slower) type-check and the tests.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, isBuiltin } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HARDENED_GIT_CONFIG } from '../git/repo.ts';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import type { Finding, ValidationInput, Validator } from './types.ts';
import { SCRIPT_EXT, lineCol, type Workspace } from './workspace.ts';

interface ImportSite {
  specifier: string;
  /** Named bindings imported (`{ a, b as c }` → a, b); empty for default/namespace/side-effect. */
  names: { name: string; pos: number }[];
  pos: number;
  node: Node;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** Candidate files for a relative specifier under TypeScript's resolution rules, in order. */
export function relativeCandidates(absNoExt: string): string[] {
  const ext = path.extname(absNoExt);
  const stem = absNoExt.slice(0, absNoExt.length - ext.length);
  const swaps: Record<string, string[]> = { '.js': ['.ts', '.tsx', '.d.ts'], '.jsx': ['.tsx'], '.mjs': ['.mts', '.d.mts'], '.cjs': ['.cts', '.d.cts'] };
  const out = [absNoExt, ...(swaps[ext] ?? []).map((e) => stem + e)];
  for (const e of ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.json']) out.push(absNoExt + e);
  for (const e of ['index.ts', 'index.tsx', 'index.d.ts', 'index.js', 'index.mjs']) out.push(path.join(absNoExt, e));
  return out;
}

/**
 * True when git ignores `abs` (a path that need not exist) in the repository at `root`: `git
 * check-ignore` with the hardened config (it runs no hook or fsmonitor), false when git cannot say.
 */
export function ignoredByGit(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const args = [...HARDENED_GIT_CONFIG.flatMap((c) => ['-c', c]), 'check-ignore', '-q', '--no-index', '--', rel];
  return spawnSync('git', args, { cwd: root, stdio: 'ignore', timeout: 5_000 }).status === 0;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Reads the repository's package.json: declared package names and the `imports` map keys. */
export function readManifest(root: string): { declared: Set<string>; selfName?: string; hashImports: string[] } {
  const file = path.join(root, 'package.json');
  if (!existsSync(file)) return { declared: new Set(), hashImports: [] };
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const declared = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[key];
    if (deps && typeof deps === 'object') for (const n of Object.keys(deps)) declared.add(n);
  }
  const imports = pkg['imports'];
  return {
    declared,
    selfName: typeof pkg['name'] === 'string' ? pkg['name'] : undefined,
    hashImports: imports && typeof imports === 'object' ? Object.keys(imports) : [],
  };
}

/**
 * The manifest that governs a repo-relative `file`: its nearest package.json (a monorepo package
 * declares its own dependencies), merged with every package.json above it up to the root (hoisted
 * workspace dependencies). `imports` and the package name come from the nearest one.
 */
export function manifestFor(root: string, file: string): ReturnType<typeof readManifest> {
  const dirs: string[] = [];
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    if (existsSync(path.join(root, dir, 'package.json'))) dirs.push(dir);
    if (dir === '.') break;
  }
  if (dirs.length === 0) return readManifest(root);
  const [nearest, ...above] = dirs.map((d) => readManifest(path.join(root, d)));
  for (const m of above) for (const n of m.declared) nearest!.declared.add(n);
  return nearest!;
}

/** True when `name` has a package.json in a node_modules folder at or above `root` (symlinks followed). */
export function isInstalled(root: string, name: string): boolean {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (isFile(path.join(dir, 'node_modules', name, 'package.json'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function collectSites(sf: SourceFile): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const d of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) {
    const lit = d.getModuleSpecifier();
    if (!lit || !Node.isStringLiteral(lit)) continue;
    const named = Node.isImportDeclaration(d) ? d.getNamedImports() : d.getNamedExports();
    sites.push({
      specifier: lit.getLiteralValue(),
      names: named.map((n) => ({ name: n.getNameNode().getText().replace(/^['"]|['"]$/g, ''), pos: n.getStart() })),
      pos: lit.getStart(),
      node: d,
    });
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const isDyn = callee.getKind() === SyntaxKind.ImportKeyword;
    const isReq = Node.isIdentifier(callee) && callee.getText() === 'require';
    const arg = call.getArguments()[0];
    if ((isDyn || isReq) && arg && Node.isStringLiteral(arg)) sites.push({ specifier: arg.getLiteralValue(), names: [], pos: arg.getStart(), node: call });
  }
  return sites;
}

/** Fix hint for an unknown `node:` name: the builtins sharing its first letters (`fss` → `node:fs`). */
export function closestBuiltin(name: string): string {
  const names = builtinModules.filter((b) => !b.startsWith('_'));
  const close = names.filter((b) => b.startsWith(name.slice(0, 2)) || name.startsWith(b)).slice(0, 4);
  return close.length ? `did you mean ${close.map((b) => `node:${b}`).join(', ')}?` : 'import a builtin listed by require("node:module").builtinModules';
}

/** Names a resolved module exports, or undefined when unknown (no types, `export =`, unparsable). */
function exportedNames(target: SourceFile | undefined): Set<string> | undefined {
  if (!target) return undefined;
  try {
    const names = new Set(target.getExportedDeclarations().keys());
    if (target.getExportAssignments().some((a) => !a.isExportEquals()) || names.has('default')) names.add('default');
    if (target.getExportAssignments().some((a) => a.isExportEquals())) return undefined;
    // Exports the checker could not see (e.g. `export *` from an unresolved module) → do not guess.
    if (target.getExportDeclarations().some((e) => !e.hasNamedExports() && !e.getModuleSpecifierSourceFile())) return undefined;
    return names;
  } catch {
    return undefined;
  }
}

/**
 * Creates the imports validator. `input.allowImports`, when set, limits bare specifiers to that list.
 * `opts.exportsCheckedByTypes`: the repository's own TypeScript type-checks the touched files (in
 * the sandboxed worker), so a missing named export is its diagnostic (TS2305, TS2614, TS2724);
 * this validator then resolves with module resolution alone and builds no program on the host,
 * which cost 0.8 s of the first validation on unjs/ofetch (profiled 2026-12-03).
 */
export function createImportsValidator(ws: Workspace, opts: { exportsCheckedByTypes?: boolean } = {}): Validator {
  const withProgram = !(opts.exportsCheckedByTypes && ws.parseOnly);
  return {
    name: 'imports',
    async validate(input: ValidationInput): Promise<Finding[]> {
      const out: Finding[] = [];
      for (const file of input.touchedFiles.filter((f) => SCRIPT_EXT.test(f))) {
        const manifest = manifestFor(ws.root, file);
        const sf = ws.sourceFile(file);
        if (!sf) continue;
        const at = (pos: number) => lineCol(sf, pos);
        const push = (pos: number, rule: string, message: string, suggestion: string) =>
          out.push({ validator: 'imports', file, ...at(pos), rule: `imports/${rule}`, message, suggestion, severity: 'error' });
        for (const site of collectSites(sf)) {
          const spec = site.specifier;
          let target: SourceFile | undefined;
          if (spec.startsWith('.') || spec.startsWith('/')) {
            const base = path.resolve(path.dirname(ws.abs(file)), spec);
            const hit = relativeCandidates(base).find(isFile);
            if (!hit) {
              if (ignoredByGit(ws.root, base)) {
                // Build output (`../dist/index.mjs` from a playground): it exists once the repository is built.
                out.push({ validator: 'imports', file, ...at(site.pos), rule: 'imports/unbuilt', severity: 'warning', message: `"${spec}" points into a path git ignores (build output?) that does not exist yet`, suggestion: 'fine if the repository builds it; otherwise import the source module' });
                continue;
              }
              push(site.pos, 'unresolved', `cannot resolve "${spec}": no such file (tried ${path.basename(base)} with .ts/.tsx/.js and index files)`, 'import an existing module; list the directory to find the right path');
              continue;
            }
            target = withProgram && SCRIPT_EXT.test(hit) ? (ws.project.getSourceFile(hit) ?? ws.project.addSourceFileAtPath(hit)) : undefined;
          } else if (spec.startsWith('node:')) {
            // `node:` names only builtins: an unknown one (`node:fss`) fails at load time.
            if (!isBuiltin(spec)) push(site.pos, 'unknown-builtin', `"${spec}" is not a Node.js builtin module`, closestBuiltin(spec.slice(5)));
            continue;
          } else if (isBuiltin(spec)) {
            continue;
          } else if (spec.startsWith('#')) {
            if (!manifest.hashImports.some((k) => k === spec || (k.endsWith('*') && spec.startsWith(k.slice(0, -1))))) {
              push(site.pos, 'unresolved', `"${spec}" is not in package.json "imports"`, 'use a relative import or add the mapping to package.json "imports"');
            }
            continue;
          } else {
            const name = packageName(spec);
            const resolved = withProgram && (Node.isImportDeclaration(site.node) || Node.isExportDeclaration(site.node)) ? site.node.getModuleSpecifierSourceFile() : undefined;
            const resolvedPath = withProgram ? resolved?.getFilePath() : ws.resolveModule(spec, file);
            const inRepo = resolvedPath !== undefined && !resolvedPath.includes('/node_modules/') && resolvedPath.startsWith(ws.root);
            if (inRepo) {
              target = resolved; // tsconfig `paths` alias or self-reference
            } else if (input.allowImports && !input.allowImports.includes(name)) {
              push(site.pos, 'not-allowed', `package "${name}" is not in the allowed imports (${input.allowImports.join(', ') || 'none'})`, `use only: ${input.allowImports.join(', ') || 'relative imports and node builtins'}`);
              continue;
            } else if (!manifest.declared.has(name) && name !== manifest.selfName) {
              const known = [...manifest.declared].slice(0, 12).join(', ');
              push(site.pos, 'undeclared', `package "${name}" is not declared in package.json (it may not exist at all)`, `use a declared package${known ? ` (${known})` : ''} or node builtins, or write the code yourself`);
              continue;
            } else if (!isInstalled(path.dirname(ws.abs(file)), name)) {
              push(site.pos, 'not-installed', `package "${name}" is declared but not installed (no node_modules/${name})`, 'use an installed package; installing is not possible in this run');
              continue;
            } else {
              target = resolved && /\.d\.[mc]?ts$/.test(resolved.getFilePath()) ? resolved : undefined;
            }
          }
          const names = exportedNames(target);
          if (!names) continue;
          for (const n of site.names) {
            if (!names.has(n.name)) {
              const close = [...names].filter((x) => x.toLowerCase().includes(n.name.toLowerCase().slice(0, 4))).slice(0, 3);
              push(n.pos, 'missing-export', `"${spec}" has no export named "${n.name}"`, close.length ? `did you mean ${close.join(', ')}?` : `exports are: ${[...names].slice(0, 10).join(', ') || '(none)'}`);
            }
          }
        }
      }
      return out;
    },
  };
}
