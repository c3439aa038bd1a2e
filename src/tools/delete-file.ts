/** `delete_file`: removes one existing file (a fix that drops or renames a module needs it). */
import { rmSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { diffStat, readTextForEdit, unifiedDiff } from './fsio.ts';
import { resolveForWrite } from './paths.ts';
import type { Tool } from './types.ts';

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of an existing file to remove.'),
});

export function deleteFileTool(): Tool {
  return defineTool({
    name: 'delete_file',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      if (!file.exists) throw new ToolFailure(`path: ${file.rel} does not exist; nothing to delete.`);
      if (statSync(file.abs).isDirectory()) throw new ToolFailure(`path: ${file.rel} is a directory; delete its files one by one.`);
      // Read through the edit checks (size, binary) so the diff shows what was removed.
      const before = readTextForEdit(file);
      const diff = unifiedDiff(file.rel, before, '').replace(/^\+\+\+ b\/.*$/m, '+++ /dev/null');
      rmSync(file.abs);
      const { removed } = diffStat(diff);
      return { ok: true, llmContent: `Deleted ${file.rel} (-${removed} lines).`, display: `${file.rel}: deleted (-${removed})`, diff, changedFiles: [file.rel] };
    },
  });
}
