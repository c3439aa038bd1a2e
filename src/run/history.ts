/** Reading past runs back from their folders (untrusted files: parsed defensively). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from './run-task.ts';
import type { RunRecord } from './drive.ts';

export interface RunListing {
  runId: string;
  task: string;
  /** Final status, or `unfinished` when the run has no summary (killed, or still going). */
  status: string;
  iterations: number;
  tokens: number;
  usd: number;
  wallMs: number;
  startedAt: string;
  runDir: string;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Runs under `root`, newest first. */
export function listRuns(root: string): RunListing[] {
  if (!existsSync(root)) return [];
  const out: RunListing[] = [];
  for (const d of readdirSync(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const dir = path.join(root, d.name);
    const record = readJson<RunRecord>(path.join(dir, 'run.json'));
    if (!record) continue;
    const s = readJson<RunSummary>(path.join(dir, 'summary.json'));
    const u = s?.usage;
    out.push({
      runId: record.runId, task: record.options.task, status: s?.status ?? 'unfinished', iterations: s?.iterations ?? 0,
      tokens: u ? u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens : 0, usd: s?.usd ?? 0, wallMs: s?.wallMs ?? 0,
      startedAt: record.startedAt, runDir: dir,
    });
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
