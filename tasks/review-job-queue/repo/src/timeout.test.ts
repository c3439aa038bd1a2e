import { describe, expect, it } from "vitest"
import { TimeoutError, withTimeout } from "./timeout"

describe("withTimeout", () => {
  it("passes a settled value through", async () => {
    expect(await withTimeout(Promise.resolve(42), 1_000, "answer")).toBe(42)
  })

  it("rejects a promise that never settles", async () => {
    const never = new Promise<never>(() => {})
    await expect(withTimeout(never, 1, "slow")).rejects.toBeInstanceOf(TimeoutError)
  })
})
