/**
 * What a run already did, read back from its trajectory: paid model replies by step and applied
 * tool calls by tool_use id. A resumed run reuses them, so a reply is never bought twice and an
 * edit is never applied twice. The trace is read as untrusted input (validated per line).
 */
import type { ModelResponse } from '../model/types.ts';
import type { ToolResult } from '../tools/types.ts';
import type { TraceLine } from '../trace/trajectory.ts';
import type { EditIntent } from './edit-intent.ts';

export interface Journal {
  replies: Map<number, ModelResponse>;
  toolResults: Map<string, ToolResult>;
  /** Edits announced before they ran, by tool_use id (see edit-intent.ts). */
  intents: Map<string, EditIntent>;
  /** The run's commit when one is on record (a commit step cut short by a stop may have made it). */
  commitSha?: string;
}

export function journalFromTrace(lines: TraceLine[]): Journal {
  const replies = new Map<number, ModelResponse>();
  const toolResults = new Map<string, ToolResult>();
  const intents = new Map<string, EditIntent>();
  let commitSha: string | undefined;
  for (const e of lines) {
    if (e.type === 'commit') commitSha = e.sha;
    if (e.type === 'tool_intent') intents.set(e.id, { id: e.id, name: e.name, path: e.path, beforeSha: e.beforeSha });
    if (e.type === 'model_call') {
      replies.set(e.step, { model: e.model, provider: e.provider, content: e.response.content, stopReason: e.response.stopReason as ModelResponse['stopReason'], usage: e.usage });
    } else if (e.type === 'tool_call') {
      toolResults.set(e.id, { ok: e.ok, llmContent: e.llmContent, display: e.display, ...(e.diff ? { diff: e.diff } : {}), ...(e.changedFiles ? { changedFiles: e.changedFiles } : {}) });
    }
  }
  return { replies, toolResults, intents, ...(commitSha ? { commitSha } : {}) };
}
