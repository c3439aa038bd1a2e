import type { Job } from "./types"

/** In-memory job queue: higher priority first, first in, first out within one priority. */
export class MemoryQueue<T> {
  private readonly items: Job<T>[] = []
  private nextId = 1

  get size(): number {
    return this.items.length
  }

  add(payload: T, priority = 0): Job<T> {
    const job: Job<T> = { id: `job-${this.nextId++}`, payload, priority, attempts: 0 }
    this.insert(job)
    return job
  }

  /** Puts a job back after a failed attempt; it queues behind jobs of its own priority. */
  requeue(job: Job<T>): void {
    this.insert(job)
  }

  /** Removes and returns the next job. Async like the Redis-backed queue it stands in for. */
  async claim(): Promise<Job<T> | undefined> {
    return this.items.shift()
  }

  private insert(job: Job<T>): void {
    // Insert before the first job that should run after this one.
    const index = this.items.findIndex((item) => item.priority <= job.priority)
    if (index === -1) this.items.push(job)
    else this.items.splice(index, 0, job)
  }
}
