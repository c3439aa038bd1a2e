/**
 * The fast pre-check: every `check_pure` call the model made in this run is re-run in isolated-vm
 * before the full test command. Read from the trace (not memory), so it survives a resume.
 * A failing check becomes a test failure (`<file>::precheck > <name>`) and the slow suite is skipped.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { TraceLine } from '../trace/trajectory.ts';
import type { TestCaseResult } from '../sandbox/types.ts';
import { runIsolatedChecks } from '../sandbox/isolate.ts';
import { CHECK_LIMITS, checkPureSchema } from '../tools/check-pure.ts';

export interface PrecheckResult {
  ran: number;
  failures: TestCaseResult[];
  ms: number;
}

/** The distinct checks recorded in the trace (inputs validated again: the trace is untrusted). */
export function recordedChecks(trace: TraceLine[]): { path: string; checks: string }[] {
  const seen = new Map<string, { path: string; checks: string }>();
  for (const e of trace) {
    if (e.type !== 'tool_call' || e.name !== 'check_pure') continue;
    const parsed = checkPureSchema.safeParse(e.input);
    if (parsed.success) seen.set(`${parsed.data.path}\0${parsed.data.checks}`, parsed.data);
  }
  return [...seen.values()];
}

export async function runPrecheck(root: string, trace: TraceLine[], run: typeof runIsolatedChecks = runIsolatedChecks): Promise<PrecheckResult> {
  const t0 = performance.now();
  const failures: TestCaseResult[] = [];
  let ran = 0;
  for (const c of recordedChecks(trace)) {
    const abs = path.resolve(root, c.path);
    if (!abs.startsWith(root + path.sep) || !existsSync(abs)) continue; // file gone or outside: the tool layer refused it anyway
    const r = await run({ entry: abs, checks: c.checks, ...CHECK_LIMITS });
    ran += r.checks.length;
    for (const chk of r.checks) {
      if (!chk.passed) failures.push({ id: `${c.path}::precheck > ${chk.name}`, file: c.path, fullName: `precheck > ${chk.name}`, status: 'failed', message: chk.message ?? 'check failed' });
    }
    if (r.error && r.reason !== 'ok') failures.push({ id: `${c.path}::precheck`, file: c.path, fullName: 'precheck', status: 'failed', message: `${r.reason}: ${r.error}` });
  }
  return { ran, failures, ms: performance.now() - t0 };
}
