/**
 * `check_pure`: the model's own checks of a pure module, run in isolated-vm (src/sandbox/isolate.ts)
 * — no disk, no network, memory- and time-limited. The same checks are re-run as the loop's
 * pre-check before the full test command (see src/run/precheck.ts).
 */
import { z } from 'zod';
import { defineTool } from './define.ts';
import { ToolFailure } from './failure.ts';
import { resolveForRead } from './paths.ts';
import type { Tool } from './types.ts';
import { runIsolatedChecks, type IsolateResult } from '../sandbox/isolate.ts';

/** Isolate limits for model-written checks: 64 MB heap, 2 s (isolated-vm has no default timeout). */
export const CHECK_LIMITS = { memoryLimitMb: 64, timeoutMs: 2_000 } as const;
const MAX_CHECKS_CHARS = 20_000;

export const checkPureSchema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of the module under test, e.g. "src/slugify.ts".'),
  checks: z
    .string()
    .min(1)
    .max(MAX_CHECKS_CHARS)
    .describe('JavaScript calling check(name, fn) and expect(...); the module exports are `mod`.'),
});

/** One line per check, for the model and the repair prompt. */
export function renderIsolateResult(rel: string, r: IsolateResult): string {
  if (r.error && r.checks.length === 0) return `${rel}: checks did not run (${r.reason}): ${r.error}`;
  const lines = r.checks.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.name}${c.message ? ` — ${c.message}` : ''}`);
  const failed = r.checks.filter((c) => !c.passed).length;
  return [
    `${rel}: ${r.checks.length - failed}/${r.checks.length} checks passed in isolated-vm (${Math.round(r.durationMs)} ms)`,
    ...lines,
    ...(r.error ? [`error: ${r.error}`] : []),
  ].join('\n');
}

export function checkPureTool(run: typeof runIsolatedChecks = runIsolatedChecks): Tool {
  return defineTool({
    name: 'check_pure',
    readOnly: true,
    schema: checkPureSchema,
    async run(op, ctx) {
      const file = resolveForRead(ctx, op.path);
      if (!file.exists) throw new ToolFailure(`path: ${file.rel} does not exist.`);
      const r = await run({ entry: file.abs, checks: op.checks, ...CHECK_LIMITS });
      const text = renderIsolateResult(file.rel, r);
      const allPassed = !r.error && r.checks.length > 0 && r.checks.every((c) => c.passed);
      return { ok: allPassed, llmContent: text, display: text.split('\n')[0]! };
    },
  });
}
