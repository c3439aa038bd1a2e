/** Text renderings of run results for a person. */
import type { RunSummary } from '../run/run-task.ts';
import { totalInput } from '../model/types.ts';
import { exitCodeForStatus } from './exit-codes.ts';
import { colorDiff } from './progress.ts';
import { existsSync, readFileSync } from 'node:fs';
import type { CliIo } from './io.ts';
import { renderTiming } from './render-timing.ts';

export function renderSummary(s: RunSummary): string {
  const tokens = totalInput(s.usage) + s.usage.outputTokens;
  const lines = [
    `run ${s.runId}: ${s.status}${s.reason ? ` — ${s.reason}` : ''}`,
    `  iterations ${s.iterations} · model calls ${s.steps} · tokens ${tokens} (cache read ${(s.cacheReadShare * 100).toFixed(0)}% of input) · $${s.usd.toFixed(4)} · ${(s.wallMs / 1000).toFixed(1)} s`,
    `  sandbox ${s.sandbox.backend}${s.sandbox.isolated ? '' : ' (NOT isolated)'} · ${s.provider}/${s.model}`,
    `  branch ${s.branch}${s.commitSha ? ` @ ${s.commitSha.slice(0, 10)}` : ' (no commit)'}`,
    ...(s.timing ? [`  ${renderTiming(s.timing)}`] : []),
    ...(s.environment ? [`  environment failure: ${s.environment.message}`, `  fix: ${s.environment.fix}`] : []),
    ...(s.validationGaps?.length ? [`  validation NOT whole, the patch was not checked by: ${s.validationGaps.join('; ')}`] : []),
    `  patch ${s.patchPath}`,
    `  trace ${s.runDir}/trajectory.jsonl`,
  ];
  if (s.summary) lines.push('', s.summary.trim());
  return lines.join('\n') + '\n';
}

/** Prints a finished (or interrupted) run and returns its exit code. */
export function reportRun(s: RunSummary, io: CliIo, json?: boolean): number {
  if (json) io.out(JSON.stringify(s) + '\n');
  else {
    const patch = existsSync(s.patchPath) ? readFileSync(s.patchPath, 'utf8') : '';
    if (patch.trim()) io.out(`${colorDiff(patch, io.isTTY).trimEnd()}\n\n`);
    io.out(renderSummary(s));
  }
  if (s.status === 'interrupted') io.err(`patchloop: stopped. Resume with: patchloop resume ${s.runId} --repo ${JSON.stringify(s.worktree.split('/.git/')[0] ?? '.')}\n`);
  return exitCodeForStatus(s.status);
}
