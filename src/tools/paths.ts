/**
 * Path safety for every tool. A path from the model is untrusted: it is resolved against the
 * worktree root with symlinks followed, and must stay inside the root. Writes are further refused
 * inside `.git/` and `node_modules/` and on files the run has locked (`ctx.readOnly`).
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ToolFailure } from './failure.ts';
import type { ToolContext } from './types.ts';

/** A path that passed the checks. */
export interface SafePath {
  /** Absolute real path (symlinks resolved; for a new file, its nearest existing parent resolved). */
  abs: string;
  /** Repo-relative POSIX path of `abs`, as shown to the model (e.g. `src/a.ts`, `.` for the root). */
  rel: string;
  /** Whether something exists at `abs`. */
  exists: boolean;
}

/** Directory names no tool may write into, at any depth (compared case-insensitively). */
const WRITE_FORBIDDEN_DIRS = ['.git', 'node_modules'];

/**
 * Resolves repo-relative `relPath` for reading. Throws `ToolFailure` (reported to the model as
 * `ok:false`) when the path is empty, absolute, contains a NUL byte, escapes the root with `..`, or
 * resolves through a symlink to somewhere outside the root.
 */
export function resolveForRead(ctx: ToolContext, relPath: unknown, field = 'path'): SafePath {
  return resolveInside(ctx.root, relPath, field);
}

/**
 * Resolves repo-relative `relPath` for writing: the read checks, plus refusal of `.git/`,
 * `node_modules/`, dangling symlinks and files locked by `ctx.readOnly` (checked on both the path as
 * given and the path the symlinks lead to). Throws `ToolFailure`.
 */
export function resolveForWrite(ctx: ToolContext, relPath: unknown, field = 'path'): SafePath {
  const safe = resolveInside(ctx.root, relPath, field);
  const asGiven = toPosix(path.normalize(String(relPath)));
  for (const rel of new Set([asGiven, safe.rel])) {
    const segments = rel.split('/').map((s) => s.toLowerCase());
    const bad = WRITE_FORBIDDEN_DIRS.find((d) => segments.includes(d));
    if (bad !== undefined) {
      throw new ToolFailure(`${field}: refusing to write inside ${bad}/ (${rel}); edit source files only.`);
    }
    if (ctx.readOnly?.(rel) === true) {
      throw new ToolFailure(
        `${field}: ${rel} is locked (read-only for this run: it defines success, e.g. a test file). ` +
          'Change the code under test instead.',
      );
    }
  }
  if (safe.rel === '.') throw new ToolFailure(`${field}: expected a file path, got the repository root.`);
  return safe;
}

function resolveInside(root: string, relPath: unknown, field: string): SafePath {
  if (typeof relPath !== 'string' || relPath.trim() === '') {
    throw new ToolFailure(`${field}: expected a non-empty repo-relative path such as "src/index.ts".`);
  }
  if (relPath.includes('\0')) throw new ToolFailure(`${field}: path contains a NUL byte.`);
  if (path.isAbsolute(relPath) || /^[a-zA-Z]:[\\/]/.test(relPath)) {
    throw new ToolFailure(`${field}: "${relPath}" is absolute; give a path relative to the repository root.`);
  }
  const rootReal = realpathSync(root);
  const lexical = path.resolve(rootReal, relPath);
  if (!isInside(rootReal, lexical)) {
    throw new ToolFailure(`${field}: "${relPath}" is outside the repository; paths must stay inside it.`);
  }
  const { real, exists } = realpathOrParent(lexical, field, relPath);
  if (!isInside(rootReal, real)) {
    throw new ToolFailure(
      `${field}: "${relPath}" resolves through a symlink to a location outside the repository; refused.`,
    );
  }
  const rel = toPosix(path.relative(rootReal, real)) || '.';
  return { abs: real, rel, exists };
}

/**
 * realpath of `p` when it exists; else realpath of its nearest existing ancestor joined with the
 * missing tail. A dangling symlink on the way is refused: writing through it would create a file
 * wherever it points.
 */
function realpathOrParent(p: string, field: string, shown: string): { real: string; exists: boolean } {
  const tail: string[] = [];
  let cur = p;
  for (;;) {
    let isLink = false;
    try {
      isLink = lstatSync(cur).isSymbolicLink();
    } catch {
      // Missing: climb to the parent.
      const parent = path.dirname(cur);
      if (parent === cur) throw new ToolFailure(`${field}: cannot resolve "${shown}".`);
      tail.unshift(path.basename(cur));
      cur = parent;
      continue;
    }
    try {
      const real = realpathSync(cur);
      return { real: tail.length === 0 ? real : path.join(real, ...tail), exists: tail.length === 0 };
    } catch {
      if (isLink) throw new ToolFailure(`${field}: "${shown}" goes through a dangling symlink; refused.`);
      throw new ToolFailure(`${field}: cannot resolve "${shown}".`);
    }
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Converts a platform path to forward slashes. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
