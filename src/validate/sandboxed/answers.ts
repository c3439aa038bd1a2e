/**
 * Shapes of the validation worker's answers. The worker runs repository code, so an answer is
 * untrusted input: it is parsed here (strings capped, numbers checked) before any of it becomes a
 * finding, a file write (auto-fix) or a trace line.
 */
import { z } from 'zod';
import { WorkerError } from './worker-client.ts';

const text = (max: number) => z.string().transform((s) => s.slice(0, max));
const int = z.number().int().min(0);

export const LintAnswer = z.object({
  tool: text(200),
  files: z.array(
    z
      .array(
        z.object({
          ruleId: text(200).nullable(),
          message: text(2000),
          line: int,
          column: int,
          severity: z.union([z.literal(1), z.literal(2)]),
          fatal: z.boolean(),
          fixable: z.boolean(),
          messageId: text(200).optional(),
        }),
      )
      .nullable(),
  ),
});

export const FormatAnswer = z.object({
  configFile: z.string().nullable(),
  ignored: z.boolean().optional(),
  formatted: z.string().optional(),
  error: text(500).optional(),
  tool: text(200).optional(),
});

export const DiagnosticsAnswer = z.object({
  version: text(50),
  files: z.array(z.string()),
  diagnostics: z.array(z.object({ file: z.string(), line: int, column: int, code: int, start: int, length: int, message: text(2000) })),
});

export const FixesAnswer = z.array(
  z.object({
    fixName: text(100),
    description: text(500),
    changes: z.array(z.object({ fileName: z.string(), isNewFile: z.boolean(), textChanges: z.array(z.object({ span: z.object({ start: int, length: int }), newText: z.string() })) })),
  }),
);

/** Parses an answer or throws a {@link WorkerError} naming the operation. */
export function parseAnswer<T>(schema: z.ZodType<T>, op: string, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new WorkerError(`validation worker: malformed answer to ${op}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}
