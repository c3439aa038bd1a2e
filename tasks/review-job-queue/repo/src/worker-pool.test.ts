import { describe, expect, it } from "vitest"
import { MemoryQueue } from "./queue"
import { WorkerPool } from "./worker-pool"

describe("WorkerPool", () => {
  it("runs every job in priority order", async () => {
    const queue = new MemoryQueue<string>()
    const done: string[] = []
    const pool = new WorkerPool(queue, async (name) => {
      done.push(name)
    })
    queue.add("thumbnail", 1)
    queue.add("invoice", 9)
    const idle = pool.onIdle()
    await pool.tick()
    await idle
    expect(done).toEqual(["invoice", "thumbnail"])
  })

  it("retries a failed attempt", async () => {
    const queue = new MemoryQueue<string>()
    let calls = 0
    const pool = new WorkerPool(queue, async () => {
      calls++
      if (calls === 1) throw new Error("flaky")
    })
    const completed: number[] = []
    pool.events.on("completed", (job) => completed.push(job.attempts))
    queue.add("sync")
    const idle = pool.onIdle()
    await pool.tick()
    await idle
    expect(completed).toEqual([2])
  })

  it("reports a job as failed after maxAttempts", async () => {
    const queue = new MemoryQueue<string>()
    const pool = new WorkerPool(queue, async () => Promise.reject(new Error("down")), {
      maxAttempts: 2,
    })
    const failed: string[] = []
    pool.events.on("failed", ({ job, error }) => failed.push(`${job.attempts}:${String(error)}`))
    queue.add("sync")
    const idle = pool.onIdle()
    await pool.tick()
    await idle
    expect(failed).toEqual(["2:Error: down"])
  })
})
