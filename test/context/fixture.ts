/** Small temp git repositories for the context tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (repo-relative → text) into a fresh git repository and returns its path. */
export function makeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-context-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  return root;
}

/** A library whose URL code sits behind a path alias, a JS helper and a monorepo reference. */
export const LIBRARY: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/core' }, { path: './packages/app' }] }),
  'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true, allowJs: true, paths: { '@core/*': ['./src/*'] } } }),
  'packages/core/package.json': JSON.stringify({ name: '@acme/core' }),
  'packages/core/src/index.ts': "export { parseURL } from './url';\nexport { slugify } from './text';\n",
  'packages/core/src/url.ts': [
    "import { splitOnce } from '@core/strings';",
    '/** Parses a URL. */',
    'export function parseURL(input: string): { host: string; path: string } {',
    "  const [host, path] = splitOnce(input, '/');",
    '  return { host, path };',
    '}',
    'export class Router {',
    '  route(path: string): string {',
    '    return path;',
    '  }',
    '}',
  ].join('\n'),
  'packages/core/src/strings.ts': 'export function splitOnce(s: string, sep: string): [string, string] {\n  const i = s.indexOf(sep);\n  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + 1)];\n}\n',
  'packages/core/src/text.js': "const { lower } = require('./case.js');\nexports.slugify = function (s) {\n  return lower(s).replace(/ /g, '-');\n};\n",
  'packages/core/src/case.js': 'exports.lower = (s) => s.toLowerCase();\n',
  'packages/core/src/url.test.ts': "import { parseURL } from './url';\nimport { test } from 'vitest';\ntest('parses', () => parseURL('a/b'));\n",
  'packages/app/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true }, references: [{ path: '../core' }] }),
  'packages/app/src/main.ts': "import { parseURL } from '@acme/core';\nexport const main = () => parseURL('example.com/x');\n",
  'README.md': '# acme\n',
};
