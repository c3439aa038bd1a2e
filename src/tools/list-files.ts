/** `list_files`: git-tracked plus untracked-not-ignored files under a directory, optional glob, capped. */
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { type FileLister, underDir } from './files.ts';
import { globMatcher } from './glob.ts';
import { resolveForRead } from './paths.ts';
import type { Tool } from './types.ts';

/** At most this many paths per call. */
export const LIST_MAX_FILES = 500;

const schema = z.strictObject({
  path: z.string().min(1).optional().describe('Repo-relative directory to list. Default: the repository root.'),
  pattern: z
    .string()
    .min(1)
    .optional()
    .describe('Glob such as "**/*.test.ts" or "*.md" (no "/" = match the base name).'),
});

export function listFilesTool(lister: FileLister): Tool {
  return defineTool({
    name: 'list_files',
    readOnly: true,
    schema,
    async run(op, ctx) {
      const dir = resolveForRead(ctx, op.path ?? '.');
      if (!dir.exists) throw new ToolFailure(`path: ${dir.rel} does not exist.`);
      let files = underDir(await lister(ctx.root), dir.rel);
      if (op.pattern !== undefined) {
        const match = compileGlob(op.pattern);
        files = files.filter(match);
      }
      const where = `${dir.rel}${op.pattern ? ` matching ${op.pattern}` : ''}`;
      if (files.length === 0)
        return { ok: true, llmContent: `No files under ${where}.`, display: `list ${where}: 0 files` };
      const shown = files.slice(0, LIST_MAX_FILES);
      const cut = files.length - shown.length;
      const note = cut > 0 ? `\n[${cut} more files not shown; narrow with path or pattern]` : '';
      return {
        ok: true,
        llmContent: `${shown.join('\n')}${note}`,
        display: `list ${where}: ${files.length} files`,
      };
    },
  });
}

/** Compiles a glob, turning a malformed one into a failure naming the field. */
export function compileGlob(pattern: string, field = 'pattern'): (rel: string) => boolean {
  try {
    return globMatcher(pattern);
  } catch (err) {
    throw new ToolFailure(`${field}: invalid glob "${pattern}" (${(err as Error).message}).`);
  }
}
