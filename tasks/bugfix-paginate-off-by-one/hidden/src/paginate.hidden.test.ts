import { describe, expect, it } from "vitest"
import { linkHeader } from "./links"
import { pageCount, pageInfo, paginate } from "./paginate"

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe("partial last page", () => {
  it("counts a partial page", () => {
    expect(pageCount(25, 10)).toBe(3)
    expect(pageCount(1, 10)).toBe(1)
  })

  it("serves the remaining items on the last page", () => {
    const page = paginate(range(25), 3, 10)
    expect(page.items).toEqual([21, 22, 23, 24, 25])
    expect(page.hasNext).toBe(false)
  })

  it("has a next page from page 2 of 25 items", () => {
    expect(pageInfo(25, 2, 10)).toMatchObject({ page: 2, totalPages: 3, hasNext: true })
  })

  it("links to the real last page", () => {
    expect(linkHeader("https://api.test/orders", pageInfo(25, 1, 10))).toContain('page=3&per_page=10>; rel="last"')
  })

  it("still keeps exact multiples at their size", () => {
    expect(pageCount(30, 10)).toBe(3)
    expect(paginate(range(30), 3, 10).items).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30])
  })
})
