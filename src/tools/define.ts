/**
 * Builds a `Tool` from a zod schema and a handler. The model's input is validated into a typed
 * operation before the handler runs; a bad field becomes `ok:false` naming it. The description comes
 * from `descriptions/<name>.md` beside this module and the JSON Schema is generated from the same zod
 * schema, so the model sees exactly what is enforced.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { JsonSchema } from '../model/types.ts';
import { diffStat, unifiedDiff, writeAtomic } from './fsio.ts';
import { ToolFailure } from './failure.ts';
import type { SafePath } from './paths.ts';
import type { Tool, ToolContext, ToolResult } from './types.ts';

/** Loads `src/tools/descriptions/<name>.md`. Throws at module load if it is missing (a packaging bug). */
export function loadDescription(name: string): string {
  return readFileSync(new URL(`./descriptions/${name}.md`, import.meta.url), 'utf8').trim();
}

/**
 * Defines a tool. `run` receives the parsed input; it may throw `ToolFailure` for a problem the model
 * can fix (returned as `ok:false`). Any other throw propagates to `runToolCall`, which also reports it
 * as `ok:false`.
 */
export function defineTool<S extends z.ZodObject>(def: {
  name: string;
  readOnly: boolean;
  schema: S;
  run: (op: z.infer<S>, ctx: ToolContext) => Promise<ToolResult> | ToolResult;
}): Tool {
  const description = loadDescription(def.name);
  const { $schema: _drop, ...schema } = z.toJSONSchema(def.schema) as Record<string, unknown>;
  return {
    spec: { name: def.name, description, input_schema: schema as JsonSchema },
    readOnly: def.readOnly,
    async run(input: unknown, ctx: ToolContext): Promise<ToolResult> {
      const parsed = def.schema.safeParse(input);
      if (!parsed.success) return failure(`Invalid input for ${def.name}: ${describeIssues(parsed.error)}`);
      try {
        return await def.run(parsed.data, ctx);
      } catch (err) {
        if (err instanceof ToolFailure) return failure(`${def.name}: ${err.message}`);
        throw err;
      }
    },
  };
}

/** One line per zod issue, each naming the field (`old_str: expected string, received undefined`). */
function describeIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      const field = i.path.length > 0 ? i.path.join('.') : '(input)';
      return `${field}: ${i.message.replace(/^Invalid input: /, '')}`;
    })
    .join('; ');
}

/** An `ok:false` result; the display is the first line of the message. */
export function failure(message: string): ToolResult {
  return { ok: false, llmContent: message, display: message.split('\n')[0] ?? message };
}

/** The diff is echoed to the model so it sees what landed (re-indentation included), up to 6,000 chars. */
const MAX_DIFF_CHARS_FOR_MODEL = 6000;

/**
 * Writes `after` to `file` atomically and returns the success result with diff and changed files.
 * `what` is a short description of the edit for the display (`replace_body greet`).
 */
export function commitEdit(file: SafePath, before: string, after: string, what: string, note = ''): ToolResult {
  const created = !file.exists;
  const diff = unifiedDiff(file.rel, before, after, created);
  writeAtomic(file.abs, after);
  const { added, removed } = diffStat(diff);
  const verb = created ? 'Created' : 'Edited';
  const shown =
    diff.length > MAX_DIFF_CHARS_FOR_MODEL ? `${diff.slice(0, MAX_DIFF_CHARS_FOR_MODEL)}\n[diff truncated]` : diff;
  return {
    ok: true,
    llmContent: `${verb} ${file.rel} (${what}; +${added} -${removed} lines).${note}\n${shown}`,
    display: `${file.rel}: ${what} (+${added} -${removed})`,
    diff,
    changedFiles: [file.rel],
  };
}
