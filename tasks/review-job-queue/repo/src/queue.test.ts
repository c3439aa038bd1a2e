import { describe, expect, it } from "vitest"
import { MemoryQueue } from "./queue"

describe("MemoryQueue", () => {
  it("hands out higher priorities first", async () => {
    const queue = new MemoryQueue<string>()
    queue.add("report", 1)
    queue.add("email", 5)
    queue.add("cleanup", 0)
    const order = [await queue.claim(), await queue.claim(), await queue.claim()]
    expect(order.map((job) => job?.payload)).toEqual(["email", "report", "cleanup"])
  })

  it("returns undefined when empty", async () => {
    const queue = new MemoryQueue<number>()
    expect(await queue.claim()).toBeUndefined()
    expect(queue.size).toBe(0)
  })
})
