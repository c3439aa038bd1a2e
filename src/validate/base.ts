/**
 * What the candidate looked like at `baseRef`, and what changed since: base file contents read
 * through git, added-line sets, and the "new findings only" subtraction every baseline-aware
 * validator (types, lint, security, completeness) shares.
 */
import { execFile } from 'node:child_process';
import { diffLines } from 'diff';
import type { Finding } from './types.ts';

/** Runs `git <args>` in `cwd`; resolves stdout, rejects on a non-zero exit. Injected in tests. */
export type GitExec = (args: string[], cwd: string) => Promise<string>;

/** Default {@link GitExec}: `git` through `execFile` (no shell), 32 MB output cap. */
export const execGit: GitExec = (args, cwd) =>
  new Promise((resolve, reject) => {
    // core.hooksPath / fsmonitor off: a repository must not run its own code through our git calls.
    const safe = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', ...args];
    execFile('git', safe, { cwd, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });

/**
 * Reads files as they are at `baseRef`, cached per path (the ref is resolved to a commit once,
 * so a moving branch does not change answers mid-run). `read` resolves `undefined` for a file
 * that does not exist at base (a new file).
 */
export class BaseReader {
  private commit: Promise<string> | undefined;
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly root: string,
    private readonly baseRef: string,
    private readonly git: GitExec = execGit,
  ) {}

  /** The base commit sha. Rejects when `baseRef` does not name a commit in `root`. */
  resolveCommit(): Promise<string> {
    this.commit ??= this.git(['rev-parse', '--verify', `${this.baseRef}^{commit}`], this.root).then(
      (s) => s.trim(),
      (err: unknown) => {
        throw new Error(`baseRef "${this.baseRef}" is not a commit in ${this.root}: pass an existing branch, tag or sha`, { cause: err });
      },
    );
    return this.commit;
  }

  /** Contents of repo-relative `file` at base, or undefined when it is absent there. */
  read(file: string): Promise<string | undefined> {
    let hit = this.cache.get(file);
    if (!hit) {
      hit = this.resolveCommit().then((sha) =>
        this.git(['show', `${sha}:${toPosix(file)}`], this.root).then(
          (text) => text,
          () => undefined,
        ),
      );
      this.cache.set(file, hit);
    }
    return hit;
  }

  /** Repo-relative paths changed between base and the working tree (tracked and untracked). */
  async changedFiles(): Promise<string[]> {
    const sha = await this.resolveCommit();
    const [tracked, untracked] = await Promise.all([
      this.git(['diff', '--name-only', '--no-renames', sha], this.root),
      this.git(['ls-files', '--others', '--exclude-standard'], this.root),
    ]);
    return [...new Set([...tracked.split('\n'), ...untracked.split('\n')].filter(Boolean))];
  }
}

/** 1-based line numbers of `current` that are added or changed relative to `base` (all when base is undefined). */
export function addedLines(base: string | undefined, current: string): Set<number> {
  const out = new Set<number>();
  if (base === undefined) {
    const n = current.split('\n').length;
    for (let i = 1; i <= n; i++) out.add(i);
    return out;
  }
  let line = 1;
  for (const part of diffLines(base, current)) {
    const count = part.count ?? part.value.split('\n').length - 1;
    if (part.added) for (let i = 0; i < count; i++) out.add(line + i);
    if (!part.removed) line += count;
  }
  return out;
}

/** Identity of a finding for base comparison: file + rule + message with positions normalised. */
export function findingKey(f: Pick<Finding, 'file' | 'rule' | 'message'>): string {
  const msg = f.message.replace(/:\d+(:\d+)?\b/g, ':N').replace(/\b(line|column|col)\s+\d+/gi, '$1 N');
  return `${f.file}\u0000${f.rule}\u0000${msg}`;
}

/**
 * Multiset difference: the findings of `current` not matched one-for-one by a finding of `base`
 * with the same {@link findingKey}. Two identical errors at base and three now → one is new
 * (the one with the highest line, as edits more often append than prepend).
 */
export function newFindings(current: Finding[], base: Finding[]): Finding[] {
  const budget = new Map<string, number>();
  for (const f of base) budget.set(findingKey(f), (budget.get(findingKey(f)) ?? 0) + 1);
  const sorted = [...current].sort((a, b) => a.line - b.line || a.column - b.column);
  const out: Finding[] = [];
  for (const f of sorted) {
    const k = findingKey(f);
    const left = budget.get(k) ?? 0;
    if (left > 0) budget.set(k, left - 1);
    else out.push(f);
  }
  return out;
}

/**
 * Like {@link newFindings}, then a second pass ignoring the file: a finding that moved from one
 * changed file to another (code moved by a refactor) is not new. Exact-file matches are used first,
 * so a genuinely new finding is still attributed to the file where it appeared.
 */
export function newFindingsAcrossFiles(current: Finding[], base: Finding[]): Finding[] {
  const exactLeft = newFindings(current, base);
  if (exactLeft.length === 0) return [];
  // Base findings not consumed by an exact match are free to match moved ones.
  const consumed = current.filter((f) => !exactLeft.includes(f));
  const baseLeft = newFindings(base, consumed);
  const strip = (f: Finding): Finding => ({ ...f, file: '' });
  const moved = newFindings(exactLeft.map(strip), baseLeft.map(strip));
  const budget = new Map<string, number>();
  for (const f of moved) budget.set(findingKey(f) + f.line, (budget.get(findingKey(f) + f.line) ?? 0) + 1);
  return exactLeft.filter((f) => {
    const k = findingKey(strip(f)) + f.line;
    const left = budget.get(k) ?? 0;
    if (left === 0) return false;
    budget.set(k, left - 1);
    return true;
  });
}

/** `a\b` → `a/b`, so findings and git paths agree on every platform. */
export function toPosix(p: string): string {
  return p.split('\\').join('/');
}

/**
 * Base-commit findings per file, kept while the set of changed files stays the same (the base
 * program differs from HEAD only in those files, so another set invalidates every entry). Shared
 * by the bundled and the sandboxed type checkers; `compute` checks only the files not cached yet.
 */
export class BaseFindingsCache {
  private key = '';
  private byFile = new Map<string, Finding[]>();

  /**
   * @param changed files that differ from the base (sorted), the cache's key
   * @param compute findings of the base program for `missing` (any file's findings may come back)
   */
  async get(files: string[], changed: string[], compute: (missing: string[]) => Promise<Finding[]>): Promise<Finding[]> {
    const key = changed.join('\n');
    if (key !== this.key) {
      this.byFile = new Map();
      this.key = key;
    }
    const missing = files.filter((f) => !this.byFile.has(f));
    if (missing.length > 0) {
      const found = await compute(missing);
      for (const f of missing) this.byFile.set(f, found.filter((d) => d.file === f));
    }
    return files.flatMap((f) => this.byFile.get(f) ?? []);
  }
}
