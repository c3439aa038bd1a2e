/**
 * What the model may call. A tool validates its input into a typed operation first, then runs it
 * against the worktree. A failure the model can fix (no match, two matches, symbol not found, path
 * outside the repo) is returned as `ok: false` with a message for the model — never thrown.
 */
import type { ToolSpec } from '../model/types.ts';

export interface ToolResult {
  ok: boolean;
  /** What the model sees (tool_result content). */
  llmContent: string;
  /** What a person sees in the terminal / trace (short). */
  display: string;
  /** Unified diff of the change, for edit tools that changed a file. */
  diff?: string;
  /** Repo-relative paths this call changed. */
  changedFiles?: string[];
}

export interface ToolContext {
  /** Absolute path of the worktree root; every path is resolved and checked against it. */
  root: string;
  /**
   * Repo-relative paths (or globs) the model may not modify (locked tests, hidden files).
   * Edits touching them are refused with a message.
   */
  readOnly?: (relPath: string) => boolean;
}

export interface Tool {
  spec: ToolSpec;
  /** True when the tool never changes files (allowed during `plan`). */
  readOnly: boolean;
  run(input: unknown, ctx: ToolContext): Promise<ToolResult>;
}
