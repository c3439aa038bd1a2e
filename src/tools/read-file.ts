/** `read_file`: a file's lines, numbered (`  12| text`), optionally a range, capped. */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { looksBinary } from './fsio.ts';
import { resolveForRead } from './paths.ts';
import type { Tool } from './types.ts';

/** At most this many lines per call. */
export const READ_MAX_LINES = 400;
/** At most this many characters of file text per call (~10k tokens). */
export const READ_MAX_CHARS = 40_000;
/** Files larger than this (bytes) are refused: 10 MB. */
const READ_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** One line longer than this is cut, so a minified file cannot eat the budget. */
const READ_MAX_LINE_CHARS = 2_000;

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of the file, e.g. "src/index.ts".'),
  start_line: z.number().int().min(1).optional().describe('First line to show (1-based). Default 1.'),
  end_line: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Last line to show, inclusive. Default: as many as fit the cap.'),
});

export function readFileTool(): Tool {
  return defineTool({
    name: 'read_file',
    readOnly: true,
    schema,
    run(op, ctx) {
      const file = resolveForRead(ctx, op.path);
      if (!file.exists) throw new ToolFailure(`path: ${file.rel} does not exist. Use list_files to see what exists.`);
      const st = statSync(file.abs);
      if (st.isDirectory())
        throw new ToolFailure(`path: ${file.rel} is a directory; use list_files with path "${file.rel}".`);
      if (st.size > READ_MAX_FILE_BYTES)
        throw new ToolFailure(`path: ${file.rel} is ${st.size} bytes; too large to read.`);
      const buf = readFileSync(file.abs);
      if (looksBinary(buf)) {
        return {
          ok: true,
          llmContent: `${file.rel} is a binary file (${st.size} bytes); not shown.`,
          display: `read ${file.rel} (binary)`,
        };
      }
      const text = buf.toString('utf8');
      const lines = text.split(/\r?\n/);
      if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
      const total = text === '' ? 0 : lines.length;
      if (total === 0) return { ok: true, llmContent: `${file.rel} is empty.`, display: `read ${file.rel} (empty)` };
      const start = op.start_line ?? 1;
      if (start > total) throw new ToolFailure(`start_line: ${start} is past the end; ${file.rel} has ${total} lines.`);
      if (op.end_line !== undefined && op.end_line < start) {
        throw new ToolFailure(`end_line: ${op.end_line} is before start_line ${start}.`);
      }
      const wanted = Math.min(op.end_line ?? total, total);
      const width = String(wanted).length;
      const out: string[] = [];
      let chars = 0;
      let last = start - 1;
      for (let n = start; n <= wanted && n - start < READ_MAX_LINES; n++) {
        let line = lines[n - 1] ?? '';
        if (line.length > READ_MAX_LINE_CHARS)
          line = `${line.slice(0, READ_MAX_LINE_CHARS)} [line cut: ${line.length} chars]`;
        if (chars + line.length > READ_MAX_CHARS && out.length > 0) break;
        out.push(`${String(n).padStart(width + 2)}| ${line}`);
        chars += line.length + width + 4;
        last = n;
      }
      let note = '';
      if (last < wanted) {
        note = `\n[shown lines ${start}-${last} of ${total}; read more with start_line: ${last + 1}]`;
      } else if (start > 1 || wanted < total) {
        note = `\n[lines ${start}-${last} of ${total}]`;
      }
      return {
        ok: true,
        llmContent: `${out.join('\n')}${note}`,
        display: `read ${file.rel}:${start}-${last} (${total} lines)`,
      };
    },
  });
}
