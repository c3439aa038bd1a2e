/**
 * Where the naming rule gets its convention when the edited file cannot tell (a new file, or one
 * with fewer than {@link MIN_NAMES} unchanged names): the other script files of the same directory,
 * then the repository. Counting the new file's own names would let a new file set its own rule.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

export type Convention = 'camelCase' | 'snake_case' | 'PascalCase' | 'UPPER_CASE' | 'lower' | 'other';

/** Fewest camelCase + snake_case names needed before a convention is enforced. */
export const MIN_NAMES = 2;
/** Files read at most when falling back to the whole repository (bounds the cost on big repositories). */
const MAX_REPO_FILES = 200;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage']);

/** Naming convention of one identifier (leading `_`/`$` ignored). `lower` = one lowercase word, fits both. */
export function classify(name: string): Convention {
  const n = name.replace(/^[_$]+/, '');
  if (/^[a-z][a-z0-9]*$/.test(n)) return 'lower';
  if (/^[a-z][a-zA-Z0-9]*$/.test(n)) return 'camelCase';
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(n)) return 'snake_case';
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(n) && n.length > 1) return 'UPPER_CASE';
  if (/^[A-Z][a-zA-Z0-9]*$/.test(n)) return 'PascalCase';
  return 'other';
}

export interface NamingCounts {
  counts: { camelCase: number; snake_case: number };
  scope: 'directory' | 'repository';
}

/** camelCase / snake_case value names (variables, functions, parameters, methods, properties) declared in `text`. */
export function countNames(fileName: string, text: string): { camelCase: number; snake_case: number } {
  const counts = { camelCase: 0, snake_case: 0 };
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isParameter(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) {
      const name = node.name;
      if (name && ts.isIdentifier(name)) {
        const c = classify(name.text);
        if (c === 'camelCase' || c === 'snake_case') counts[c]++;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return counts;
}

const cache = new WeakMap<Workspace, Map<string, NamingCounts['counts']>>();

/** Counts over script files not changed in this run: `dir` only, or the repository (bounded walk). */
function countIn(ws: Workspace, dir: string, recursive: boolean): NamingCounts['counts'] {
  const key = `${recursive ? 'R' : 'D'}:${dir}`;
  let perWs = cache.get(ws);
  if (!perWs) cache.set(ws, (perWs = new Map()));
  const hit = perWs.get(key);
  if (hit) return hit;
  const total = { camelCase: 0, snake_case: 0 };
  let budget = MAX_REPO_FILES;
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(ws.abs(rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (budget <= 0) return;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (recursive && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(child);
      } else if (e.isFile() && SCRIPT_EXT.test(e.name) && !e.name.endsWith('.d.ts') && !ws.changed.has(child)) {
        const text = ws.text(child);
        if (text === undefined) continue;
        budget--;
        const c = countNames(child, text);
        total.camelCase += c.camelCase;
        total.snake_case += c.snake_case;
      }
    }
  };
  walk(dir === '.' ? '' : dir);
  perWs.set(key, total);
  return total;
}

/** The convention evidence for `file` (repo-relative): its directory when that has enough names, else the repository. */
export function neighbourCounts(ws: Workspace, file: string): NamingCounts {
  const dir = path.posix.dirname(file);
  const local = countIn(ws, dir, false);
  if (local.camelCase + local.snake_case >= MIN_NAMES) return { counts: local, scope: 'directory' };
  return { counts: countIn(ws, '.', true), scope: 'repository' };
}
