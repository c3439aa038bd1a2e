/**
 * The toolset the model calls (see src/machine/protocol.md, table "Tools"). Read-only tools
 * (`readOnly: true`) are the ones allowed during `plan`.
 *
 * Usage: `const tools = createToolset(); const r = await runToolCall(tools, name, input, { root, readOnly });`
 */
import { describeError } from '../errors.ts';
import { addImportTool } from './ast/add-import.ts';
import { insertDeclarationTool } from './ast/insert-declaration.ts';
import { replaceBodyTool } from './ast/replace-body.ts';
import { replaceDeclarationTool } from './ast/replace-declaration.ts';
import { createFileTool } from './create-file.ts';
import { deleteFileTool } from './delete-file.ts';
import { failure } from './define.ts';
import { type FileLister, gitFileLister } from './files.ts';
import { listFilesTool } from './list-files.ts';
import { readFileTool } from './read-file.ts';
import { searchTool } from './search.ts';
import { strReplaceTool } from './str-replace.ts';
import type { Tool, ToolContext, ToolResult } from './types.ts';

export type { FileLister } from './files.ts';
export type { Tool, ToolContext, ToolResult } from './types.ts';

/** Side effects the toolset uses, swappable in tests. */
export interface ToolDeps {
  /** Lists the repo's files for `list_files` and `search`. Default: `git ls-files` (tracked + untracked, not ignored). */
  listFiles?: FileLister;
  /** Wall-clock limit on one `search` scan, ms. Default `SEARCH_TIMEOUT_MS` (15,000). */
  searchTimeoutMs?: number;
}

/** All ten tools, read-only ones first. */
export function createToolset(deps: ToolDeps = {}): Tool[] {
  const lister = deps.listFiles ?? gitFileLister;
  return [
    readFileTool(),
    listFilesTool(lister),
    searchTool(lister, deps.searchTimeoutMs),
    strReplaceTool(),
    createFileTool(),
    deleteFileTool(),
    replaceBodyTool(),
    replaceDeclarationTool(),
    insertDeclarationTool(),
    addImportTool(),
  ];
}

/** The toolset keyed by tool name. */
export function toolsByName(deps: ToolDeps = {}): Map<string, Tool> {
  return new Map(createToolset(deps).map((t) => [t.spec.name, t]));
}

/**
 * Runs tool `name` with the model's `input`. Never throws: an unknown name, a failed validation or
 * an unexpected error (I/O, a bug) all come back as `ok:false` with a message for the model.
 */
export async function runToolCall(
  tools: Tool[] | Map<string, Tool>,
  name: string,
  input: unknown,
  ctx: ToolContext,
): Promise<ToolResult> {
  const tool = tools instanceof Map ? tools.get(name) : tools.find((t) => t.spec.name === name);
  if (!tool) {
    const known = tools instanceof Map ? [...tools.keys()] : tools.map((t) => t.spec.name);
    return failure(`Unknown tool "${name}". Available tools: ${known.join(', ')}.`);
  }
  try {
    return await tool.run(input, ctx);
  } catch (err) {
    return failure(`${name} failed: ${describeError(err)}`);
  }
}
