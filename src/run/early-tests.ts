/**
 * The test command started while validation runs (or, with early-validation.ts, as soon as an early
 * validation came back clean), so a patch that validation lets through waits for max(validation,
 * tests) instead of their sum. The early result is used only when validation blocked
 * nothing and the touched files are byte for byte what the tests ran on (no auto-fix changed them);
 * otherwise the early run is aborted (its process tree killed) and the test step runs as before.
 * Nothing of an early run reaches the trajectory until the test step takes it, so the trace keeps
 * the order validate → test and a run killed in between simply runs its tests again on resume.
 */
import { createHash } from 'node:crypto';
import type { TestActorOutput } from '../machine/context.ts';
import type { TraceEvent } from '../trace/trajectory.ts';
import { contentSha } from './edit-intent.ts';

/** One test step's result, its trace lines (not yet written) and its time split, ms. */
export interface TestOutcome {
  output: TestActorOutput;
  lines: Extract<TraceEvent, { type: 'test_run' | 'precheck' }>[];
  parts: { testCommandMs: number; sandboxOverheadMs: number };
}

/** sha256 over the touched files' contents (sorted paths): what the tests ran on. */
export function filesFingerprint(root: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) h.update(`${f}\0${contentSha(root, f)}\n`);
  return h.digest('hex');
}

interface Pending {
  fingerprint: string;
  abort: AbortController;
  result: Promise<TestOutcome>;
  startedAt: number;
}

/** At most one early test run: for the files being validated. */
export class EarlyTests {
  private pending: Pending | undefined;

  constructor(private readonly now: () => number) {}

  /** Starts `run` over files whose fingerprint is `fingerprint`, unless one runs on them already (an early run of other files is dropped). */
  start(fingerprint: string, run: (signal: AbortSignal) => Promise<TestOutcome>): void {
    if (this.pending?.fingerprint === fingerprint) return;
    void this.discard();
    const abort = new AbortController();
    const result = run(abort.signal);
    result.catch(() => undefined); // awaited by take() or discard(); never an unhandled rejection
    this.pending = { fingerprint, abort, result, startedAt: this.now() };
  }

  /** Aborts and forgets the early run, waiting until its process has ended. */
  async discard(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    p.abort.abort();
    await p.result.catch(() => undefined);
  }

  /**
   * The early run when it ran on files with `fingerprint`, with the ms it had been
   * running when taken (time spent under validation); else undefined (and any early run is dropped).
   * `signal` (the test step's) aborts the early run too.
   */
  take(fingerprint: string, signal?: AbortSignal): { result: Promise<TestOutcome>; ranMs: number } | undefined {
    const p = this.pending;
    if (!p || p.fingerprint !== fingerprint) {
      void this.discard();
      return undefined;
    }
    this.pending = undefined;
    signal?.addEventListener('abort', () => p.abort.abort(), { once: true });
    return { result: p.result, ranMs: this.now() - p.startedAt };
  }
}
