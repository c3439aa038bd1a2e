/** `search`: a JS regular expression over the listed files, `file:line: text`, capped. */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { type FileLister, underDir } from './files.ts';
import { looksBinary } from './fsio.ts';
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
  pattern: z.string().min(1).describe('JavaScript regular expression (no slashes, no flags), e.g. "function \\\\w+Slug".'),
  path: z.string().min(1).optional().describe('Repo-relative directory or file to search. Default: the whole repository.'),
  glob: z.string().min(1).optional().describe('Only files matching this glob, e.g. "*.ts" or "src/**/*.tsx".'),
});

export function searchTool(lister: FileLister): Tool {
  return defineTool({
    name: 'search',
    readOnly: true,
    schema,
    async run(op, ctx) {
      let re: RegExp;
      try {
        re = new RegExp(op.pattern);
      } catch (err) {
        throw new ToolFailure(`pattern: invalid regular expression: ${(err as Error).message}`);
      }
      const where = resolveForRead(ctx, op.path ?? '.');
      if (!where.exists) throw new ToolFailure(`path: ${where.rel} does not exist.`);
      let files = underDir(await lister(ctx.root), where.rel);
      if (op.glob !== undefined) files = files.filter(compileGlob(op.glob, 'glob'));
      const hits: string[] = [];
      let total = 0;
      let skipped = 0;
      const rootReal = realpathSync(ctx.root);
      for (const rel of files) {
        let abs = path.join(rootReal, rel);
        let buf: Buffer;
        try {
          // A tracked symlink may point outside the repo: follow it only through the path checks.
          if (lstatSync(abs).isSymbolicLink()) abs = resolveForRead(ctx, rel).abs;
          if (statSync(abs).size > SEARCH_MAX_FILE_BYTES) {
            skipped++;
            continue;
          }
          buf = readFileSync(abs);
        } catch {
          continue;
        }
        if (looksBinary(buf)) continue;
        const lines = buf.toString('utf8').split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as string;
          if (line.length > SEARCH_MAX_LINE_CHARS || !re.test(line)) continue;
          total++;
          if (hits.length < SEARCH_MAX_MATCHES) hits.push(`${rel}:${i + 1}: ${line.trim().slice(0, SEARCH_LINE_CHARS)}`);
        }
      }
      const notes: string[] = [];
      if (total > hits.length) notes.push(`${total - hits.length} more matches not shown; narrow with path or glob`);
      if (skipped > 0) notes.push(`${skipped} files over ${SEARCH_MAX_FILE_BYTES} bytes skipped`);
      const note = notes.length > 0 ? `\n[${notes.join('; ')}]` : '';
      const body = total === 0 ? `No matches for /${op.pattern}/ in ${files.length} files.` : hits.join('\n');
      return { ok: true, llmContent: `${body}${note}`, display: `search /${op.pattern}/: ${total} matches` };
    },
  });
}
