/**
 * What `GET /v1/runs/:id` answers: the job's record joined with its run's figures — from the
 * summary once it ended, from the persisted snapshot while it runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Usage } from '../model/types.ts';
import { isTerminal, type JobRecord } from './job-store.ts';

export interface RunView {
  id: string;
  status: JobRecord['status'];
  /** Why it ended that way (the loop's reason, or the error that refused it). */
  reason?: string;
  repo: JobRecord['request']['repo'];
  /** The task, cut to 500 characters (the full text is in the trace's run_start). */
  task: string;
  iterations: number;
  steps: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  usd: number;
  branch?: string;
  commitSha?: string;
  attempts: number;
  /** ISO 8601 times. */
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  links: { self: string; patch: string; events: string; cancel: string };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const ZERO: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** Live figures of a running job from its snapshot (absent or unreadable → zeros). */
function liveFigures(runDir: string): { iterations: number; steps: number; usage: Usage; usd: number } {
  try {
    const file = path.join(runDir, 'snapshot.json');
    if (!existsSync(file)) return { iterations: 0, steps: 0, usage: ZERO, usd: 0 };
    const c = (JSON.parse(readFileSync(file, 'utf8')) as { snapshot?: { context?: { iteration?: number; step?: number; usage?: Usage; usd?: number } } }).snapshot?.context ?? {};
    return { iterations: c.iteration ?? 0, steps: c.step ?? 0, usage: c.usage ?? ZERO, usd: c.usd ?? 0 };
  } catch {
    return { iterations: 0, steps: 0, usage: ZERO, usd: 0 }; // mid-rename or foreign file: the next poll has it
  }
}

export function runView(job: JobRecord, runDir: string): RunView {
  const s = job.summary;
  const f = s ? { iterations: s.iterations, steps: s.steps, usage: s.usage, usd: s.usd } : isTerminal(job.status) && !existsSync(runDir) ? { iterations: 0, steps: 0, usage: ZERO, usd: 0 } : liveFigures(runDir);
  const self = `/v1/runs/${job.id}`;
  const reason = s?.reason ?? job.error;
  return {
    id: job.id, status: job.status, ...(reason ? { reason } : {}), repo: job.request.repo, task: job.request.task.slice(0, 500),
    iterations: f.iterations, steps: f.steps,
    tokens: { input: f.usage.inputTokens, output: f.usage.outputTokens, cacheRead: f.usage.cacheReadTokens, cacheWrite: f.usage.cacheWriteTokens },
    usd: f.usd, ...(s ? { branch: s.branch } : {}), ...(s?.commitSha ? { commitSha: s.commitSha } : {}), attempts: job.attempts,
    createdAt: iso(job.createdAt)!, ...(job.startedAt ? { startedAt: iso(job.startedAt) } : {}), ...(job.endedAt ? { endedAt: iso(job.endedAt) } : {}),
    links: { self, patch: `${self}/patch`, events: `${self}/events`, cancel: `${self}/cancel` },
  };
}
