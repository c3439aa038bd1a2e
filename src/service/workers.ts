/**
 * The embedded deployment's workers: N loops in the server's process that claim jobs from the
 * SQLite store and run them. Cancel and shutdown both use the loop's own "stop after the current
 * step" (the Ctrl-C path), so the run stays resumable; a job stopped by shutdown goes back to the
 * queue and resumes from its snapshot on the next start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../errors.ts';
import type { RunControl, RunSummary } from '../run/run-task.ts';
import type { TraceLine } from '../trace/trajectory.ts';
import { executeJob, type ExecutorConfig } from './executor.ts';
import type { JobRecord, JobStore } from './job-store.ts';
import type { KeyStore } from './keys.ts';

/** How often an idle worker looks at the queue, ms (a submit also wakes it at once). */
export const IDLE_POLL_MS = 250;

export interface WorkerPoolOptions {
  store: JobStore;
  keys: KeyStore;
  cfg: ExecutorConfig;
  workers: number;
  /** Each trace line of every run (metrics). */
  onTrace?: (line: TraceLine) => void;
  /** A job refused before its loop started. */
  onError?: (job: JobRecord, message: string) => void;
  /** Injected job runner (defaults to `executeJob`). */
  execute?: typeof executeJob;
}

export class WorkerPool {
  private draining = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(private readonly o: WorkerPoolOptions) {}

  /** Requeues jobs a dead process left running, then starts the workers. @returns the requeued ids. */
  start(): string[] {
    const orphans = this.o.store.requeueOrphans();
    for (let i = 0; i < this.o.workers; i++) this.loops.push(this.loop(`embedded-${process.pid}-${i}`));
    return orphans;
  }

  /** A job was submitted: idle workers look now instead of at their next poll. */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Graceful stop: no new job is taken; running ones stop at the next step boundary and go back to the queue. */
  async stop(): Promise<void> {
    this.draining = true;
    this.wake();
    await Promise.all(this.loops);
  }

  private async loop(owner: string): Promise<void> {
    while (!this.draining) {
      const job = this.o.store.claim(owner);
      if (!job) {
        const ac = new AbortController();
        const wake = () => ac.abort();
        this.wakers.add(wake);
        await sleep(IDLE_POLL_MS, undefined, { signal: ac.signal }).catch(() => {});
        this.wakers.delete(wake);
        continue;
      }
      await this.run(job, owner);
    }
  }

  private async run(job: JobRecord, owner: string): Promise<void> {
    const { store } = this.o;
    const abort = new AbortController();
    const control: RunControl = {
      get stopRequested() {
        return store.get(job.id)?.cancelRequested === true;
      },
      signal: abort.signal,
    };
    const pool = this;
    const shutdownAware: RunControl = {
      get stopRequested() {
        return pool.draining || control.stopRequested;
      },
      signal: abort.signal,
    };
    let summary: RunSummary | undefined;
    try {
      summary = await (this.o.execute ?? executeJob)(this.o.cfg, job, this.o.keys.byId(job.keyId), { control: shutdownAware, onTrace: this.o.onTrace });
    } catch (err) {
      const message = describeError(err);
      store.finish(job.id, owner, 'error', { error: message });
      this.o.onError?.(job, message);
      return;
    }
    if (summary.status === 'interrupted' && this.draining && !control.stopRequested) store.release(job.id, owner);
    else store.finish(job.id, owner, summary.status, { summary });
  }
}
