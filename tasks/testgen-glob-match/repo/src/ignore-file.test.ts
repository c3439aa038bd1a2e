import { describe, expect, it } from "vitest"
import { isIgnored, parseIgnore } from "./ignore-file"

describe("deployignore", () => {
  const rules = parseIgnore(
    ["# build output", "dist/", "*.log", "", "!keep.log", "/secrets.json"].join(
      "\n",
    ),
  )

  it("parses rules like .gitignore", () => {
    expect(rules).toEqual([
      { pattern: "dist/**", negate: false },
      { pattern: "**/*.log", negate: false },
      { pattern: "**/keep.log", negate: true },
      { pattern: "secrets.json", negate: false },
    ])
  })

  it("lets the last matching rule win", () => {
    expect(isIgnored("dist/app.js", rules)).toBe(true)
    expect(isIgnored("logs/today.log", rules)).toBe(true)
    expect(isIgnored("logs/keep.log", rules)).toBe(false)
    expect(isIgnored("secrets.json", rules)).toBe(true)
    expect(isIgnored("config/secrets.json", rules)).toBe(false)
  })
})
