/**
 * A patch as the edit tool calls a model would make: `create_file` for a new file, `delete_file` for
 * a removed one (a rename is both), and one `str_replace` per changed region of a modified file, its
 * `old_str` grown by whole lines of context until it occurs exactly once. Applying the calls in order
 * through the real tools reproduces the patched files byte for byte (test/eval/gold-provider.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffLines } from 'diff';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HARDENED_GIT_CONFIG } from '../git/repo.ts';

/** git with the hardened config and its own index (simple-git refuses GIT_INDEX_FILE in its env). */
async function gitWithIndex(cwd: string, index: string, args: string[]): Promise<string> {
  const config = HARDENED_GIT_CONFIG.flatMap((c) => ['-c', c]);
  const { stdout } = await promisify(execFile)('git', [...config, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: os.homedir(), GIT_INDEX_FILE: index }, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

export interface FileChange {
  /** Repo-relative path. */
  path: string;
  kind: 'add' | 'modify' | 'delete';
  /** Text at the base ('' for an added file). */
  before: string;
  /** Text after the patch ('' for a deleted file). */
  after: string;
}

export interface EditCall {
  name: 'create_file' | 'delete_file' | 'str_replace';
  input: Record<string, string>;
}

/**
 * The files `patch` changes, read with git from `baseRef` in `repoDir` and from a scratch index with
 * the patch applied (no working tree is touched).
 * @throws Error when the patch does not apply to `baseRef` (git's message).
 */
export async function patchChanges(repoDir: string, baseRef: string, patch: string): Promise<FileChange[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'patchloop-gold-'));
  try {
    const patchFile = path.join(tmp, 'gold.patch');
    writeFileSync(patchFile, patch);
    const index = path.join(tmp, 'index');
    const git = { raw: (args: string[]) => gitWithIndex(repoDir, index, args) };
    await git.raw(['read-tree', baseRef]);
    await git.raw(['apply', '--cached', '--whitespace=nowarn', patchFile]);
    const status = (await git.raw(['diff', '--cached', '--no-renames', '--name-status', '-z', baseRef])).split('\0').filter(Boolean);
    const out: FileChange[] = [];
    for (let i = 0; i + 1 < status.length; i += 2) {
      const code = status[i]!;
      const file = status[i + 1]!;
      const kind = code.startsWith('A') ? 'add' : code.startsWith('D') ? 'delete' : 'modify';
      const before = kind === 'add' ? '' : await git.raw(['show', `${baseRef}:${file}`]);
      const after = kind === 'delete' ? '' : await git.raw(['show', `:${file}`]);
      out.push({ path: file, kind, before, after });
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Number of occurrences of `needle` in `hay` (overlapping), stopping at 2. */
function count(hay: string, needle: string): number {
  const first = hay.indexOf(needle);
  if (first === -1) return 0;
  return hay.indexOf(needle, first + 1) === -1 ? 1 : 2;
}

interface Region {
  /** Offset in the base text. */
  start: number;
  removed: string;
  added: string;
}

/** Changed regions of `before` → `after`, top to bottom. */
function regions(before: string, after: string): Region[] {
  const out: Region[] = [];
  let offset = 0;
  let cur: Region | null = null;
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      if (cur) out.push(cur);
      cur = null;
      offset += part.value.length;
      continue;
    }
    cur ??= { start: offset, removed: '', added: '' };
    if (part.removed) {
      cur.removed += part.value;
      offset += part.value.length;
    } else cur.added += part.value;
  }
  if (cur) out.push(cur);
  return out;
}

/** Offset of the start of the line `n` lines above `i` (0 = the start of i's line). */
function linesUp(text: string, i: number, n: number): number {
  let at = i;
  for (let k = 0; k <= n; k++) {
    if (at <= 0) return 0;
    const nl = text.lastIndexOf('\n', at - 1);
    if (nl === -1) return 0;
    at = k === n ? nl + 1 : nl;
  }
  return at;
}

/** Offset just past `n` more line breaks after `i`. */
function linesDown(text: string, i: number, n: number): number {
  let at = i;
  for (let k = 0; k < n; k++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return text.length;
    at = nl + 1;
  }
  return at;
}

/** The str_replace calls turning `before` into `after`, applied bottom-up so earlier offsets hold. */
function replaceCalls(file: string, before: string, after: string): EditCall[] {
  const calls: EditCall[] = [];
  let text = before;
  for (const r of regions(before, after).reverse()) {
    const end = r.start + r.removed.length;
    for (let ctx = r.removed === '' ? 1 : 0; ; ctx++) {
      const from = ctx === 0 ? r.start : linesUp(text, r.start, ctx);
      const to = ctx === 0 ? end : linesDown(text, end, ctx);
      const oldStr = text.slice(from, to);
      const whole = from === 0 && to === text.length;
      if (oldStr !== '' && (count(text, oldStr) === 1 || whole)) {
        const newStr = text.slice(from, r.start) + r.added + text.slice(end, to);
        calls.push({ name: 'str_replace', input: { path: file, old_str: oldStr, new_str: newStr } });
        text = text.slice(0, from) + newStr + text.slice(to);
        break;
      }
      if (whole) break; // an empty base file: handled by the caller
    }
  }
  return calls;
}

/** The edit tool calls that apply `changes` in order (deletions last, so a rename creates first). */
export function editCalls(changes: FileChange[]): EditCall[] {
  const calls: EditCall[] = [];
  for (const c of changes.filter((x) => x.kind !== 'delete')) {
    if (c.kind === 'add') calls.push({ name: 'create_file', input: { path: c.path, content: c.after } });
    else if (c.before === '') calls.push({ name: 'delete_file', input: { path: c.path } }, { name: 'create_file', input: { path: c.path, content: c.after } });
    else calls.push(...replaceCalls(c.path, c.before, c.after));
  }
  for (const c of changes.filter((x) => x.kind === 'delete')) calls.push({ name: 'delete_file', input: { path: c.path } });
  return calls;
}
