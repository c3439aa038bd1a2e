/**
 * `resume`: continues a run from its persisted snapshot. Paid model replies and applied edits are
 * taken from the trace (see journal.ts) so no side effect happens twice; the commit is idempotent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, UsageError } from '../errors.ts';
import { readTrajectory, TrajectoryWriter } from '../trace/trajectory.ts';
import { driveRun, RUN_FORMAT_VERSION, type RunRecord } from './drive.ts';
import { journalFromTrace } from './journal.ts';
import type { RunDeps, RunSummary } from './run-task.ts';

/** Moved to run-dirs.ts (no loop imports); re-exported for existing callers. */
export { findRunDir } from './run-dirs.ts';

const envelope = z.object({ formatVersion: z.number(), runId: z.string(), snapshot: z.record(z.string(), z.unknown()) });

/** Finds `<run-id>`'s folder: under `runsDir` when given, else in the repository's git dir. */
/** Reads run.json and snapshot.json. @throws ConfigError when either is from another format version or malformed. */
export function loadRunState(runDir: string): { record: RunRecord; snapshot: unknown; summary?: RunSummary } {
  const record = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  if (record.formatVersion !== RUN_FORMAT_VERSION) {
    throw new ConfigError('run_format', `${runDir}/run.json is format v${record.formatVersion}; this patchloop resumes v${RUN_FORMAT_VERSION} runs only — finish it with the patchloop version that started it`);
  }
  const snapPath = path.join(runDir, 'snapshot.json');
  if (!existsSync(snapPath)) return { record, snapshot: undefined };
  const parsed = envelope.safeParse(JSON.parse(readFileSync(snapPath, 'utf8')));
  if (!parsed.success) throw new ConfigError('bad_snapshot', `${snapPath}: not a patchloop snapshot (${parsed.error.issues[0]!.message})`);
  if (parsed.data.formatVersion !== RUN_FORMAT_VERSION) {
    throw new ConfigError('snapshot_format', `${snapPath} is snapshot format v${parsed.data.formatVersion}; this patchloop reads v${RUN_FORMAT_VERSION} — resume it with the version that wrote it`);
  }
  const summaryPath = path.join(runDir, 'summary.json');
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary) : undefined;
  return { record, snapshot: parsed.data.snapshot, summary };
}

/** Number of model replies already recorded (a replay provider skips that many lines). */
export function recordedReplyCount(runDir: string): number {
  return journalFromTrace(readTrajectory(path.join(runDir, 'trajectory.jsonl'))).replies.size;
}

/**
 * Continues the run in `runDir` to a final state.
 * @throws UsageError `already_finished` when the run ended in a final state (not interrupted).
 */
export async function resumeRun(runDir: string, deps: RunDeps): Promise<RunSummary> {
  const { record, snapshot, summary } = loadRunState(runDir);
  const status = (snapshot as { status?: string } | undefined)?.status;
  if (status === 'done' || (summary && summary.status !== 'interrupted' && status !== 'active')) {
    throw new UsageError('already_finished', `run ${record.runId} already ended (${summary?.status ?? status}); nothing to resume`);
  }
  const tracePath = path.join(runDir, 'trajectory.jsonl');
  const journal = journalFromTrace(readTrajectory(tracePath));
  const trace = new TrajectoryWriter(tracePath, deps.now, deps.onTrace);
  return driveRun({ record, runDir, trace, journal, ...(snapshot ? { snapshot: snapshot as never } : {}) }, deps);
}
