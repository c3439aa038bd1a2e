import { describe, expect, it } from "vitest"
import { linkHeader, navigation } from "./links"
import { pageInfo } from "./paginate"

describe("navigation", () => {
  it("has no prev on the first page", () => {
    expect(navigation(pageInfo(30, 1, 10))).toEqual({ next: 2, last: 3 })
  })

  it("has no next on the last page", () => {
    expect(navigation(pageInfo(30, 3, 10))).toEqual({ first: 1, prev: 2 })
  })
})

describe("linkHeader", () => {
  it("formats RFC 8288 links", () => {
    expect(linkHeader("https://api.test/orders?status=open", pageInfo(20, 1, 10))).toBe(
      '<https://api.test/orders?status=open&page=2&per_page=10>; rel="next", ' +
        '<https://api.test/orders?status=open&page=2&per_page=10>; rel="last"',
    )
  })
})
