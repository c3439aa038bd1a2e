/** Text reports of mined-instance runs: one row per instance, one per repository, and the reasons. */
import type { RealInstanceResult } from './real-instance.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Median of `xs` (0 for none). */
export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One line for an instance: `✓ id  F2P 3/3  P2P 40/40  blocking 0  12.3 s`. */
export function instanceRow(r: RealInstanceResult): string {
  const mark = r.resolved ? 'resolved  ' : 'UNRESOLVED';
  return `${mark} ${r.id.padEnd(36)} F2P ${r.failToPass.passed}/${r.failToPass.total}  P2P ${r.passToPass.passed}/${r.passToPass.total}  blocking ${r.blocking.length}  ${secs(r.wallMs)}${r.reason ? `\n           reason: ${r.reason}` : ''}`;
}

export interface RepoRow {
  repo: string;
  instances: number;
  resolved: number;
  blocking: number;
  medianWallMs: number;
}

/** Per-repository figures, sorted by repository. */
export function repoRows(results: RealInstanceResult[]): RepoRow[] {
  const by = new Map<string, RealInstanceResult[]>();
  for (const r of results) by.set(r.repo, [...(by.get(r.repo) ?? []), r]);
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([repo, rs]) => ({
    repo, instances: rs.length, resolved: rs.filter((r) => r.resolved).length,
    blocking: rs.reduce((n, r) => n + r.blocking.length, 0), medianWallMs: median(rs.map((r) => r.wallMs)),
  }));
}

/** A Markdown table of `repoRows` with a total line. */
export function repoTable(results: RealInstanceResult[]): string {
  const rows = repoRows(results);
  const lines = ['| repository | instances | resolved | blocking findings | median wall time |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.repo} | ${r.instances} | ${r.resolved} | ${r.blocking} | ${secs(r.medianWallMs)} |`);
  const total = results.length;
  const resolved = results.filter((r) => r.resolved).length;
  lines.push(`| **total** | ${total} | ${resolved} (${total ? ((100 * resolved) / total).toFixed(0) : 0}%) | ${results.reduce((n, r) => n + r.blocking.length, 0)} | ${secs(median(results.map((r) => r.wallMs)))} |`);
  return lines.join('\n');
}
