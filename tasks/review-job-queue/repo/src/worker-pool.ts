import { Emitter } from "./events"
import type { MemoryQueue } from "./queue"
import { withTimeout } from "./timeout"
import type { Handler, Job } from "./types"

export interface PoolOptions {
  /** Jobs running at the same time. Default 1. */
  concurrency?: number
  /** Attempts per job before it is reported as failed. Default 3. */
  maxAttempts?: number
  /** Time limit per attempt in ms. Default 5 minutes. */
  timeoutMs?: number
}

export type PoolEvents<T> = {
  completed: Job<T>
  failed: { job: Job<T>; error: unknown }
  idle: undefined
}

export class WorkerPool<T> {
  readonly events = new Emitter<PoolEvents<T>>()
  private running = 0
  private readonly concurrency: number
  private readonly maxAttempts: number
  private readonly timeoutMs: number

  constructor(
    private readonly queue: MemoryQueue<T>,
    private readonly handler: Handler<T>,
    options: PoolOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 1
    this.maxAttempts = options.maxAttempts ?? 3
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000
  }

  /** Starts as many queued jobs as there are free slots. Safe to call at any time. */
  async tick(): Promise<void> {
    while (this.running < this.concurrency) {
      const job = await this.queue.claim()
      if (!job) break
      this.running++
      void this.run(job)
    }
    if (this.running === 0) this.events.emit("idle", undefined)
  }

  /** Resolves the next time the queue is empty and nothing is running. */
  onIdle(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.events.on("idle", () => {
        off()
        resolve()
      })
    })
  }

  private async run(job: Job<T>): Promise<void> {
    job.attempts++
    try {
      await withTimeout(this.handler(job.payload, job), this.timeoutMs, `job ${job.id}`)
      this.events.emit("completed", job)
    } catch (error) {
      if (job.attempts < this.maxAttempts) this.queue.requeue(job)
      else this.events.emit("failed", { job, error })
    } finally {
      this.running--
      void this.tick()
    }
  }
}
