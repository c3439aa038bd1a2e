/**
 * Validator 6 — style, two checks on the lines an edit added:
 *  - `style/prettier`: with the repository's Prettier config (searched from the file, inside the
 *    repository only), formatting must not change any added line; the first such line is reported
 *    with what Prettier would write. Skipped when the repository has no Prettier config. Prettier,
 *    the config and its plugins load in the sandboxed validation worker (they are programs).
 *  - `style/naming`: identifiers declared on added lines follow the file's dominant convention
 *    (camelCase vs snake_case for values; PascalCase for classes, interfaces, types, enums); a new
 *    file follows its directory, then the repository (`naming-neighbours.ts`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffLines } from 'diff';
import { Node, SyntaxKind } from 'ts-morph';
import { addedLines } from './base.ts';
import { MIN_NAMES, classify, neighbourCounts } from './naming-neighbours.ts';
import { changedConfig, nearestConfig } from './lint.ts';
import { FormatAnswer, parseAnswer } from './sandboxed/answers.ts';
import type { ValidationWorker } from './sandboxed/worker-client.ts';
import type { Finding, ValidationInput } from './types.ts';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

export { classify, type Convention } from './naming-neighbours.ts';

/** `calculate_user_age` → `calculateUserAge`, `calculateUserAge` → `calculate_user_age`, `my_type` → `MyType`. */
export function convert(name: string, to: 'camelCase' | 'snake_case' | 'PascalCase'): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_').filter(Boolean);
  if (to === 'snake_case') return words.join('_');
  const camel = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return to === 'PascalCase' ? camel[0]!.toUpperCase() + camel.slice(1) : camel;
}

const TYPE_KINDS = new Set([SyntaxKind.ClassDeclaration, SyntaxKind.InterfaceDeclaration, SyntaxKind.TypeAliasDeclaration, SyntaxKind.EnumDeclaration]);
const VALUE_KINDS = new Set([SyntaxKind.VariableDeclaration, SyntaxKind.FunctionDeclaration, SyntaxKind.Parameter, SyntaxKind.MethodDeclaration, SyntaxKind.PropertyDeclaration]);

/**
 * Checks naming drift of identifiers declared on added lines of one file. The convention comes from
 * the file's own unchanged declarations; for a new (or nearly new) file, from its neighbours (see
 * {@link neighbourCounts}).
 */
export function namingFindings(ws: Workspace, file: string, added: Set<number>): Finding[] {
  const sf = ws.sourceFile(file);
  if (!sf) return [];
  const decls: { name: string; line: number; col: number; isType: boolean; isConst: boolean }[] = [];
  sf.forEachDescendant((node) => {
    const k = node.getKind();
    if (!TYPE_KINDS.has(k) && !VALUE_KINDS.has(k)) return;
    const nameNode = (node as unknown as { getNameNode?: () => Node | undefined }).getNameNode?.();
    if (!nameNode || !Node.isIdentifier(nameNode)) return; // destructuring, computed names: skip
    const start = nameNode.getStartLineNumber();
    const isConst = Node.isVariableDeclaration(node) && node.getVariableStatement()?.getDeclarationKind() === 'const';
    decls.push({ name: nameNode.getText(), line: start, col: nameNode.getStart() - sf.compilerNode.getPositionOfLineAndCharacter(start - 1, 0) + 1, isType: TYPE_KINDS.has(k), isConst });
  });
  let counts = { camelCase: 0, snake_case: 0 };
  for (const d of decls) {
    const c = classify(d.name);
    if (!added.has(d.line) && !d.isType && (c === 'camelCase' || c === 'snake_case')) counts[c]++;
  }
  // Too little of the file predates the edit (a new file): the neighbours decide, not the new code.
  let where = 'this file uses';
  if (counts.camelCase + counts.snake_case < MIN_NAMES) {
    const near = neighbourCounts(ws, file);
    counts = near.counts;
    where = near.scope === 'directory' ? 'files in this directory use' : 'this repository uses';
  }
  const total = counts.camelCase + counts.snake_case;
  const dominant = counts.camelCase >= counts.snake_case ? 'camelCase' : 'snake_case';
  const out: Finding[] = [];
  for (const d of decls.filter((x) => added.has(x.line))) {
    const c = classify(d.name);
    let want: 'camelCase' | 'snake_case' | 'PascalCase' | undefined;
    if (d.isType && c !== 'PascalCase' && c !== 'UPPER_CASE') want = 'PascalCase';
    else if (!d.isType && total >= MIN_NAMES && (c === 'camelCase' || c === 'snake_case') && c !== dominant) want = dominant;
    if (!want) continue;
    out.push({
      validator: 'style', file, line: d.line, column: d.col, rule: 'style/naming', severity: 'error',
      message: d.isType ? `type "${d.name}" is not PascalCase` : `"${d.name}" is ${c} but ${where} ${dominant} (${counts[dominant]} of ${total} declared names)`,
      suggestion: `rename to ${convert(d.name, want)} (and its uses)`,
    });
  }
  return out;
}

/**
 * The first added line Prettier would change, as a *warning*; undefined when the added lines are
 * formatted. Never blocking: formatting is what the repository's formatter fixes, and correct human
 * fixes in the real-repository corpus (ofetch 9a5640c, pathe 9158288) are not Prettier-clean.
 */
export function prettierFinding(file: string, text: string, formatted: string, added: Set<number>): Finding | undefined {
  let line = 1;
  const parts = diffLines(text, formatted);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const count = p.count ?? 0;
    if (p.removed) {
      for (let j = 0; j < count; j++) {
        if (!added.has(line + j)) continue;
        const next = parts[i + 1]?.added ? parts[i + 1]!.value.split('\n') : undefined;
        // Removed/added runs usually pair line for line; fall back to the run's first line.
        const want = next ? (next[j] ?? next[0]!).trim() : '(line removed)';
        const have = text.split('\n')[line + j - 1]!.trim();
        return {
          validator: 'style', file, line: line + j, column: 1, rule: 'style/prettier', severity: 'warning',
          message: `not formatted as the repository's Prettier config requires: "${have.slice(0, 80)}"`,
          suggestion: `write it as "${want.slice(0, 100)}"`,
        };
      }
      line += count;
    } else if (p.added) {
      if (added.has(line) || added.has(line - 1)) {
        return { validator: 'style', file, line: Math.max(1, line - 1), column: 1, rule: 'style/prettier', severity: 'warning', message: "Prettier would insert lines here (line too long or statements joined)", suggestion: `add "${p.value.split('\n')[0]!.trim().slice(0, 100)}"` };
      }
    } else {
      line += count;
    }
  }
  return undefined;
}

const PRETTIER_CODE_CONFIGS = ['.prettierrc.js', '.prettierrc.cjs', '.prettierrc.mjs', '.prettierrc.ts', '.prettierrc.cts', '.prettierrc.mts', 'prettier.config.js', 'prettier.config.cjs', 'prettier.config.mjs', 'prettier.config.ts', 'prettier.config.cts', 'prettier.config.mts'];
const PRETTIER_DATA_CONFIGS = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5', '.prettierrc.toml'];

/** True when a Prettier config (file, or a `prettier` key in package.json) sits above `file` inside the repository. */
export function hasPrettierConfig(root: string, file: string): boolean {
  if (nearestConfig(root, file, [...PRETTIER_CODE_CONFIGS, ...PRETTIER_DATA_CONFIGS])) return true;
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const rel = dir === '.' ? '' : dir;
    try {
      if ('prettier' in (JSON.parse(readFileSync(path.join(root, rel, 'package.json'), 'utf8')) as object)) return true;
    } catch {
      // no package.json here, or not JSON
    }
    if (rel === '') return false;
  }
}

/** Where the Prettier part runs: the sandboxed worker, and whether its sandbox isolates. */
export interface StyleDeps {
  worker: ValidationWorker;
  isolated: boolean;
}

/**
 * Style validator. Returns findings plus, when the Prettier part could not run, why. Prettier and
 * the repository's config (code: `prettier.config.js` and plugins) load in the sandboxed worker.
 */
export async function checkStyle(ws: Workspace, input: ValidationInput, deps: StyleDeps): Promise<{ findings: Finding[]; prettierSkipped?: string }> {
  const findings: Finding[] = [];
  let prettierSkipped: string | undefined;
  const edited = deps.isolated ? undefined : await changedConfig(ws, PRETTIER_CODE_CONFIGS);
  for (const file of input.touchedFiles) {
    const text = ws.text(file);
    if (text === undefined) continue;
    const added = addedLines(await ws.base.read(file), text);
    if (SCRIPT_EXT.test(file)) findings.push(...namingFindings(ws, file, added));
    if (!hasPrettierConfig(ws.root, file)) {
      prettierSkipped = 'no Prettier config in the repository';
      continue;
    }
    if (edited) {
      prettierSkipped = edited;
      continue;
    }
    const answer = parseAnswer(FormatAnswer, 'format', await deps.worker.request('format', { path: ws.abs(file), text }));
    if (answer.configFile === null) {
      prettierSkipped = 'no Prettier config in the repository';
      continue;
    }
    if (answer.ignored || answer.formatted === undefined) continue; // ignored, or unparsable: the syntax validator reports it
    const f = prettierFinding(file, text, answer.formatted, added);
    if (f) findings.push({ ...f, ...(answer.tool ? { source: `${answer.tool}, sandboxed` } : {}) });
  }
  return { findings, prettierSkipped };
}
