/**
 * Closes the one window where resume could apply an edit twice: the edit is on disk but the
 * process died before its `tool_call` line reached the trace. Before an edit tool runs, a
 * `tool_intent` line records the target file's content hash; on resume, an intent without a result
 * whose file no longer has that hash means the edit landed (writes are atomic renames, so the file
 * is either before or after), and it is not applied again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ToolResult } from '../tools/types.ts';

export interface EditIntent {
  id: string;
  name: string;
  /** Repo-relative path from the tool input. */
  path: string;
  /** sha256 of the file before the edit; `absent` when it did not exist. */
  beforeSha: string;
}

/** sha256 of a file's bytes, or `absent`. Paths outside the root count as absent (the tool refuses them anyway). */
export function contentSha(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(root + path.sep)) return 'absent';
  try {
    return createHash('sha256').update(readFileSync(abs)).digest('hex');
  } catch {
    return 'absent';
  }
}

/** The `path` field every edit tool takes, when the input has one. */
export function editTarget(input: unknown): string | undefined {
  const p = (input as { path?: unknown } | null)?.path;
  return typeof p === 'string' && p.length > 0 ? p : undefined;
}

/**
 * For an intent left without a result: the recovered result when the file changed since (the edit
 * landed), or undefined when it did not (the edit must run).
 */
export function recoverEdit(intent: EditIntent, currentSha: string): ToolResult | undefined {
  if (currentSha === intent.beforeSha) return undefined;
  return {
    ok: true,
    llmContent: `${intent.name} on ${intent.path} was applied before patchloop restarted; read the file to see its current content.`,
    display: `${intent.name} ${intent.path} (recovered after a restart)`,
    changedFiles: [intent.path],
  };
}
