import { describe, expect, it } from "vitest"
import { parsePageQuery } from "./query"

describe("parsePageQuery", () => {
  it("reads page and per_page", () => {
    expect(parsePageQuery(new URLSearchParams("page=3&per_page=50"))).toEqual({ page: 3, perPage: 50 })
  })

  it("falls back on junk and caps per_page", () => {
    expect(parsePageQuery(new URLSearchParams("page=-1&per_page=5000"))).toEqual({ page: 1, perPage: 100 })
  })
})
