/**
 * File I/O shared by the tools: bounded text reads, atomic writes (temp file + rename in the same
 * directory, so a crash leaves either the old or the new file, never half of one) and unified diffs.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ToolFailure } from './failure.ts';
import type { SafePath } from './paths.ts';

/** Largest file (bytes) the edit tools load: 2 MB. Bigger files are almost never hand-written source. */
export const MAX_EDIT_BYTES = 2 * 1024 * 1024;

/** True when the first 8 KB of `buf` holds a NUL byte (the heuristic git uses for "binary"). */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/**
 * Reads an existing text file for editing. Throws `ToolFailure` when it is missing, a directory,
 * larger than `MAX_EDIT_BYTES`, or binary.
 */
export function readTextForEdit(file: SafePath): string {
  if (!file.exists) throw new ToolFailure(`path: ${file.rel} does not exist (use create_file for a new file).`);
  const st = statSync(file.abs);
  if (st.isDirectory()) throw new ToolFailure(`path: ${file.rel} is a directory, not a file.`);
  if (st.size > MAX_EDIT_BYTES) {
    throw new ToolFailure(`path: ${file.rel} is ${st.size} bytes, over the ${MAX_EDIT_BYTES}-byte edit limit.`);
  }
  const buf = readFileSync(file.abs);
  if (looksBinary(buf)) throw new ToolFailure(`path: ${file.rel} is a binary file; it cannot be edited as text.`);
  return buf.toString('utf8');
}

/**
 * Writes `text` to `abs` atomically: a temp file beside it is written, fsynced, given the old
 * file's mode, then renamed over the target. Creates missing parent directories.
 */
export function writeAtomic(abs: string, text: string): void {
  const dir = path.dirname(abs);
  mkdirSync(dir, { recursive: true });
  let mode = 0o644;
  try {
    mode = statSync(abs).mode & 0o777;
  } catch {
    // New file: default mode.
  }
  const tmp = path.join(dir, `.${path.basename(abs)}.patchloop-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, abs);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Unified diff of one file, with `a/<rel>` / `b/<rel>` headers (`/dev/null` on the old side for a
 * new file, as git writes it, so `git apply` accepts it). The `diff` package's leading `=====` line
 * is dropped.
 */
export function unifiedDiff(rel: string, before: string, after: string, created = false): string {
  const patch = createTwoFilesPatch(created ? '/dev/null' : `a/${rel}`, `b/${rel}`, before, after, '', '', {
    context: 3,
  });
  return patch.replace(/^=+\n/, '');
}

/** Counts added and removed lines in a unified diff, for the one-line display. */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

/** The end-of-line style of `text`: CRLF when most line breaks are CRLF, else LF. */
export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
}

/** Rewrites every line break in `text` to `eol`. */
export function withEol(text: string, eol: '\n' | '\r\n'): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}
