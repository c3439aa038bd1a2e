/** `patchloop tasks mine`: wiring for src/mine/mine.ts (flags → options, JSONL out, summary on stderr). */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from '../main.ts';
import { EXIT } from '../exit-codes.ts';
import { UsageError } from '../../errors.ts';
import { parsePositiveInt } from '../wiring.ts';
import { createSandbox } from '../../sandbox/create.ts';
import { mineRepository, type MineResult } from '../../mine/mine.ts';

export interface TasksMineFlags {
  repo: string;
  max?: string;
  since?: string;
  until?: string;
  commits?: string;
  out?: string;
  testCmd?: string;
  install?: string;
  name?: string;
  cache: string;
  sandbox: string;
}

/** `~/.cache/patchloop/deps` (XDG_CACHE_HOME honoured). */
export function defaultDepsCache(env: Record<string, string | undefined> = process.env): string {
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'patchloop', 'deps');
}

/** Reasons with their counts, most frequent first: `3 × no FAIL_TO_PASS test`. */
export function dropSummary(r: MineResult): string[] {
  const counts = new Map<string, number>();
  for (const d of r.dropped) counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} × ${reason}`);
}

/**
 * @returns 0 when at least one instance was kept, else 1.
 * @throws UsageError for a missing --repo or a bad --max; EnvironmentError when the sandbox cannot start.
 */
export async function mineAction(flags: TasksMineFlags, io: CliIo): Promise<number> {
  if (!existsSync(flags.repo)) throw new UsageError('no_repo', `--repo ${flags.repo}: no such folder (a git repository to mine)`);
  if (flags.name && !/^[\w.-]+\/[\w.-]+$/.test(flags.name)) throw new UsageError('bad_name', `--name ${flags.name}: expected owner/name`);
  if (!['auto', 'bwrap', 'process'].includes(flags.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${flags.sandbox}: use auto, bwrap or process`);
  const sandbox = await createSandbox({ backend: flags.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => io.err(`${line}\n`) });
  const r = await mineRepository({
    repo: path.resolve(flags.repo), cacheRoot: path.resolve(flags.cache),
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.max ? { max: parsePositiveInt(flags.max, '--max') } : {}),
    ...(flags.since ? { since: flags.since } : {}),
    ...(flags.until ? { until: flags.until } : {}),
    ...(flags.commits ? { commits: flags.commits.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(flags.testCmd ? { testCmd: flags.testCmd } : {}),
    ...(flags.install ? { install: flags.install } : {}),
  }, { sandbox, progress: (line) => io.err(`${line}\n`) });
  const jsonl = r.instances.map((i) => JSON.stringify(i)).join('\n') + (r.instances.length ? '\n' : '');
  if (flags.out) writeFileSync(flags.out, jsonl);
  else io.out(jsonl);
  io.err(`${r.repo}: ${r.scanned} commits scanned, ${r.tried} tried, ${r.instances.length} kept, ${r.dropped.length} dropped; ${r.failingBoth} test(s) failing at both ends left out\n`);
  for (const line of dropSummary(r)) io.err(`  dropped ${line}\n`);
  if (flags.out) io.err(`wrote ${flags.out}\n`);
  return r.instances.length > 0 ? EXIT.resolved : EXIT.notResolved;
}
