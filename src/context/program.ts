/**
 * Parses a repository's sources for the repo map (TypeScript's parser, no program): the root tsconfig (or,
 * in a monorepo without one, each package's tsconfig and their `references`) supplies the module
 * resolution options — path aliases included — and the git file list supplies the files, capped and
 * without node_modules, build output or declaration files. No type check runs: parsing and module
 * resolution are all the map needs, which keeps it fast.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ts as T } from 'ts-morph';
import { ts } from './compiler.ts';

/** Files the map parses at most; the rest are listed by name only. */
export const MAX_PROGRAM_FILES = 4_000;
/** Files larger than this (bytes) are not parsed (generated or bundled code). */
export const MAX_PARSED_FILE_BYTES = 400_000;

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED_DIR = /(^|\/)(node_modules|dist|build|out|coverage|\.next|\.nuxt|\.output|vendor|fixtures?)\//;
const SKIPPED_FILE = /(\.d\.[mc]?ts|\.min\.js|\.bundle\.js)$/;

/** True for a file the map parses: JS/TS source outside dependencies and build output. */
export function isMapSource(rel: string): boolean {
  return SOURCE_EXT.test(rel) && !SKIPPED_FILE.test(rel) && !SKIPPED_DIR.test(rel);
}

export interface LoadedProgram {
  /** Module resolution options (merged from the tsconfigs, see `mergedOptions`). */
  options: T.CompilerOptions;
  /** Text of each file to parse, by absolute path (parsed by the graph, or taken from its facts cache). */
  texts: Map<string, string>;
  /** Parse target (script version) of the files. */
  target: T.ScriptTarget;
  /** Repo-relative POSIX paths of the parsed files, sorted. */
  files: string[];
  /** Why the map is partial or degraded (no tsconfig, files capped), for the rendered note. */
  notes: string[];
  /** tsconfig files whose options were used, repo-relative. */
  configs: string[];
}

/** Reads one tsconfig (following `extends`); undefined when it cannot be parsed. */
function readConfig(file: string): T.ParsedCommandLine | undefined {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return undefined;
  try {
    return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file);
  } catch {
    return undefined;
  }
}

/** The root tsconfig and everything it references; else every package-level tsconfig.json in `files`. */
function findConfigs(root: string, files: string[]): string[] {
  const start = existsSync(path.join(root, 'tsconfig.json'))
    ? ['tsconfig.json']
    : files.filter((f) => /(^|\/)tsconfig\.json$/.test(f) && !SKIPPED_DIR.test(f) && f.split('/').length <= 3);
  const seen = new Set<string>();
  const queue = start.map((f) => path.join(root, f));
  while (queue.length > 0 && seen.size < 50) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const parsed = readConfig(file);
    for (const ref of parsed?.projectReferences ?? []) {
      const target = ref.path.endsWith('.json') ? ref.path : path.join(ref.path, 'tsconfig.json');
      if (target.startsWith(root)) queue.push(target);
    }
  }
  return [...seen];
}

/**
 * Merges `paths` of several configs into one map rooted at the repository (alias targets rewritten
 * relative to `root`; the first config to define an alias wins) and maps workspace package names to
 * their sources, so `import { x } from '@scope/pkg'` resolves without node_modules installed.
 */
function mergedOptions(root: string, configFiles: string[], files: string[]): T.CompilerOptions {
  const paths: Record<string, string[]> = {};
  let base: T.CompilerOptions = {};
  for (const file of configFiles) {
    const opts = readConfig(file)?.options;
    if (!opts) continue;
    if (Object.keys(base).length === 0) base = opts;
    const dir = opts.baseUrl ?? (opts as { pathsBasePath?: string }).pathsBasePath ?? path.dirname(file);
    for (const [alias, targets] of Object.entries(opts.paths ?? {})) {
      if (paths[alias]) continue;
      paths[alias] = targets.map((t) => path.relative(root, path.resolve(dir, t)) || '.');
    }
  }
  for (const pkg of files.filter((f) => /(^|\/)package\.json$/.test(f) && f.includes('/') && !SKIPPED_DIR.test(f))) {
    try {
      const name = (JSON.parse(readFileSync(path.join(root, pkg), 'utf8')) as { name?: unknown }).name;
      const dir = path.posix.dirname(pkg);
      const entry = ['src/index.ts', 'src/index.js', 'index.ts', 'index.js'].find((e) => files.includes(`${dir}/${e}`));
      if (typeof name === 'string' && entry && !paths[name]) {
        paths[name] = [`${dir}/${entry}`];
        paths[`${name}/*`] = [`${dir}/src/*`, `${dir}/*`];
      }
    } catch {
      // A broken package.json only loses that alias.
    }
  }
  return {
    target: base.target ?? ts.ScriptTarget.ES2022,
    jsx: base.jsx ?? ts.JsxEmit.Preserve,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    resolveJsonModule: false,
    allowImportingTsExtensions: true,
    noEmit: true,
    baseUrl: root,
    ignoreDeprecations: '6.0',
    types: [],
    paths,
  };
}

/**
 * Loads the program for `files` (repo-relative, e.g. from `git ls-files`).
 *
 * @param opts.maxFiles cap on parsed files (default `MAX_PROGRAM_FILES`); test files go last so the
 *   cap drops them first.
 * @returns the files to parse with their texts (never type-checked) plus notes; `files` is empty when the repository holds
 *   no JavaScript or TypeScript source.
 */
export function loadProgram(root: string, files: string[], opts: { maxFiles?: number } = {}): LoadedProgram {
  const maxFiles = opts.maxFiles ?? MAX_PROGRAM_FILES;
  const notes: string[] = [];
  const configs = findConfigs(root, files);
  if (configs.length === 0) notes.push('no tsconfig.json: files resolved with default options (allowJs)');
  const compilerOptions = mergedOptions(root, configs, files);
  const texts = new Map<string, string>();
  const languageVersion = compilerOptions.target ?? ts.ScriptTarget.ES2022;
  const isTest = (f: string) => /(\.|_)(test|spec)\.[cm]?[jt]sx?$|(^|\/)(__tests__|test|tests)\//.test(f);
  const sources = files.filter(isMapSource).sort((a, b) => Number(isTest(a)) - Number(isTest(b)) || (a < b ? -1 : a > b ? 1 : 0));
  if (sources.length > maxFiles) notes.push(`${sources.length} source files; the first ${maxFiles} (non-test first) were parsed`);
  const parsed: string[] = [];
  for (const rel of sources.slice(0, maxFiles)) {
    const abs = path.join(root, rel);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    if (text.length > MAX_PARSED_FILE_BYTES) continue;
    texts.set(abs, text);
    parsed.push(rel);
  }
  return { options: compilerOptions, texts, target: languageVersion, files: parsed.sort(), notes, configs: configs.map((c) => path.relative(root, c)) };
}
