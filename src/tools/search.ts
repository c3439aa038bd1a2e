/** `search`: a JS regular expression over the listed files, `file:line: text`, capped. */
import { lstatSync, realpathSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { type FileLister, underDir } from './files.ts';
import { compileGlob } from './list-files.ts';
import { resolveForRead } from './paths.ts';
import type { Tool } from './types.ts';

/** At most this many matching lines are shown. */
export const SEARCH_MAX_MATCHES = 100;
/** Files larger than this (bytes) are skipped: 1 MB (generated or vendored, not worth the tokens). */
const SEARCH_MAX_FILE_BYTES = 1024 * 1024;
/** Shown text of a matching line is cut to this many characters. */
const SEARCH_LINE_CHARS = 200;
/** Lines longer than this are not tested (minified code; also bounds regex backtracking per line). */
const SEARCH_MAX_LINE_CHARS = 4_000;

const schema = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe('JavaScript regular expression (no slashes, no flags), e.g. "function \\\\w+Slug".'),
  path: z
    .string()
    .min(1)
    .optional()
    .describe('Repo-relative directory or file to search. Default: the whole repository.'),
  glob: z.string().min(1).optional().describe('Only files matching this glob, e.g. "*.ts" or "src/**/*.tsx".'),
});

/** Default wall-clock limit (ms) on one search scan; past it the worker is terminated. */
export const SEARCH_TIMEOUT_MS = 15_000;

/** `timeoutMs` bounds the scan (ms); a pattern that backtracks past it gets `ok:false`. */
export function searchTool(lister: FileLister, timeoutMs = SEARCH_TIMEOUT_MS): Tool {
  return defineTool({
    name: 'search',
    readOnly: true,
    schema,
    async run(op, ctx) {
      try {
        // Compiled here only to report a bad pattern early; the scan compiles its own in the worker.
        new RegExp(op.pattern);
      } catch (err) {
        throw new ToolFailure(`pattern: invalid regular expression: ${(err as Error).message}`);
      }
      const where = resolveForRead(ctx, op.path ?? '.');
      if (!where.exists) throw new ToolFailure(`path: ${where.rel} does not exist.`);
      let files = underDir(await lister(ctx.root), where.rel);
      if (op.glob !== undefined) files = files.filter(compileGlob(op.glob, 'glob'));
      const rootReal = realpathSync(ctx.root);
      const targets: Array<{ rel: string; abs: string }> = [];
      for (const rel of files) {
        const abs = path.join(rootReal, rel);
        try {
          // A tracked symlink may point outside the repo: follow it only through the path checks.
          targets.push({ rel, abs: lstatSync(abs).isSymbolicLink() ? resolveForRead(ctx, rel).abs : abs });
        } catch {
          // Vanished, or a symlink leading out of the repo: not searched.
        }
      }
      const { hits, total, skipped } = await scanInWorker(op.pattern, targets, timeoutMs);
      const notes: string[] = [];
      if (total > hits.length) notes.push(`${total - hits.length} more matches not shown; narrow with path or glob`);
      if (skipped > 0) notes.push(`${skipped} files over ${SEARCH_MAX_FILE_BYTES} bytes skipped`);
      const note = notes.length > 0 ? `\n[${notes.join('; ')}]` : '';
      const body = total === 0 ? `No matches for /${op.pattern}/ in ${files.length} files.` : hits.join('\n');
      return { ok: true, llmContent: `${body}${note}`, display: `search /${op.pattern}/: ${total} matches` };
    },
  });
}

/** Result of a scan: shown lines, total matching lines, files skipped for size. */
interface ScanResult {
  hits: string[];
  total: number;
  skipped: number;
}

/**
 * Scans `files` for `pattern` in a worker thread (search-worker.mjs). Rejects with `ToolFailure` when
 * the scan runs past `timeoutMs` (the worker is terminated) or the worker fails.
 */
function scanInWorker(
  pattern: string,
  files: Array<{ rel: string; abs: string }>,
  timeoutMs: number,
): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./search-worker.mjs', import.meta.url), {
      workerData: {
        pattern,
        files,
        maxMatches: SEARCH_MAX_MATCHES,
        maxFileBytes: SEARCH_MAX_FILE_BYTES,
        maxLineChars: SEARCH_MAX_LINE_CHARS,
        lineChars: SEARCH_LINE_CHARS,
      },
      // The worker runs plain JS: no need for the parent's TypeScript loader flags.
      execArgv: [],
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ToolFailure(
              `pattern: the search took longer than ${timeoutMs} ms and was stopped; simplify the regular expression (avoid nested quantifiers such as (a+)+) or narrow path/glob.`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (msg: ScanResult) => finish(() => resolve(msg)));
    worker.once('error', (err) => finish(() => reject(new ToolFailure(`search failed: ${err.message}`))));
    worker.once('exit', (code) =>
      finish(() => reject(new ToolFailure(`search worker exited with code ${code} before answering.`))),
    );
  });
}
