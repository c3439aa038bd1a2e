/** `create_file`: writes a new file; refuses to overwrite one that exists. */
import { z } from 'zod';
import { commitEdit, defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { resolveForWrite } from './paths.ts';
import type { Tool } from './types.ts';

/** Largest file create_file writes: 1 MB of text. */
const CREATE_MAX_CHARS = 1024 * 1024;

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of the new file; missing directories are created.'),
  content: z.string().max(CREATE_MAX_CHARS).describe('Full text of the file.'),
});

export function createFileTool(): Tool {
  return defineTool({
    name: 'create_file',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      if (file.exists) {
        throw new ToolFailure(
          `path: ${file.rel} already exists; edit it with str_replace or the symbol tools instead.`,
        );
      }
      if (op.path.endsWith('/')) throw new ToolFailure(`path: "${op.path}" names a directory; give a file name.`);
      return commitEdit(file, '', op.content, 'new file');
    },
  });
}
