/**
 * What a run has already published, read from and written to its own trajectory as `publish` lines
 * (after `run_end`). A job that is resumed or retried after its worker died skips every step the log
 * says succeeded, so it never pushes, opens a pull request or comments twice; a step cut short
 * between the act and its line is redone, and the GitHub side is idempotent for it (the pull request
 * is found by head branch, the comment by its marker, a forced push of the same commit changes nothing).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readTrajectory, TrajectoryWriter, type TraceEvent, type TraceLine } from '../trace/trajectory.ts';

export type PublishLine = Extract<TraceEvent, { type: 'publish' }>;
export type PublishAction = PublishLine['action'];

export interface PublishLog {
  /** The last successful record of `action` on `key` (a branch, an issue's marker), or undefined. */
  done(action: PublishAction, key: string): PublishLine | undefined;
  record(line: Omit<PublishLine, 'type'>): void;
}

/**
 * The publish log of the run in `runDir` (its `trajectory.jsonl`).
 * @param onTrace receives each line written (the service's SSE and metrics).
 */
export function tracePublishLog(runDir: string, onTrace?: (line: TraceLine) => void): PublishLog {
  const file = path.join(runDir, 'trajectory.jsonl');
  const seen: PublishLine[] = existsSync(file) ? readTrajectory(file).filter((l): l is TraceLine & PublishLine => l.type === 'publish') : [];
  return {
    done: (action, key) => seen.filter((l) => l.ok && l.action === action && l.key === key).at(-1),
    record(line) {
      const event: PublishLine = { type: 'publish', ...line };
      new TrajectoryWriter(file, undefined, onTrace).write(event);
      seen.push(event);
    },
  };
}

/**
 * Runs `act` unless `log` says it succeeded before (then returns the recorded line's outcome via
 * `fromLog`); records success with `describe(result)` or failure with the error text, and rethrows.
 */
export async function onceLogged<T>(log: PublishLog | undefined, action: PublishAction, key: string, act: () => Promise<T>, describe: (r: T) => Omit<PublishLine, 'type' | 'action' | 'key' | 'ok'>, fromLog: (l: PublishLine) => T): Promise<T> {
  const prior = log?.done(action, key);
  if (prior) return fromLog(prior);
  try {
    const result = await act();
    log?.record({ action, key, ok: true, ...describe(result) });
    return result;
  } catch (err) {
    log?.record({ action, key, ok: false, error: (err as Error).message.slice(0, 500) });
    throw err;
  }
}
