/** One line saying where a run's wall time went (summary.json `timing`), for `run` and `show`. */
import type { TimeBreakdown } from '../run/timing.ts';

const LABELS: [keyof TimeBreakdown, string][] = [
  ['startupMs', 'start-up'], ['worktreeMs', 'worktree'], ['modelWaitMs', 'model wait'], ['toolsMs', 'tools'],
  ['validationMs', 'validation'], ['sandboxOverheadMs', 'sandbox overhead'], ['testCommandMs', 'test command'], ['otherMs', 'other'],
];

const secs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** `time 9.4 s = model wait 4.1 s (44%) · test command 3.0 s (32%) · …`, largest part first, zero parts left out. */
export function renderTiming(t: TimeBreakdown): string {
  const parts = LABELS.map(([k, label]) => ({ label, ms: t[k] })).filter((p) => p.ms > 0).sort((a, b) => b.ms - a.ms);
  const share = (ms: number) => (t.totalMs > 0 ? ` (${Math.round((100 * ms) / t.totalMs)}%)` : '');
  return `time ${secs(t.totalMs)} = ${parts.map((p) => `${p.label} ${secs(p.ms)}${share(p.ms)}`).join(' · ') || '0 ms'}`;
}
