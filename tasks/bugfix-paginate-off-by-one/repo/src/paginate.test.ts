import { describe, expect, it } from "vitest"
import { pageCount, paginate } from "./paginate"

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe("pageCount", () => {
  it("does not add an empty page when items divide evenly", () => {
    expect(pageCount(20, 10)).toBe(2)
  })

  it("gives an empty listing one page", () => {
    expect(pageCount(0, 10)).toBe(1)
  })

  it("rejects a zero page size", () => {
    expect(() => pageCount(10, 0)).toThrow(RangeError)
  })
})

describe("paginate", () => {
  it("returns the requested slice", () => {
    const page = paginate(range(30), 2, 10)
    expect(page.items).toEqual(range(20).slice(10))
    expect(page).toMatchObject({ page: 2, totalPages: 3, hasPrev: true, hasNext: true })
  })

  it("clamps pages past the end", () => {
    expect(paginate(range(30), 99, 10).page).toBe(3)
  })

  it("treats page 0 and NaN as page 1", () => {
    expect(paginate(range(5), 0, 2).page).toBe(1)
    expect(paginate(range(5), Number.NaN, 2).page).toBe(1)
  })
})
