import { describe, expect, it } from "vitest";
import { newToken } from "./token";

describe("newToken", () => {
  it("returns 32 hex characters", () => {
    expect(newToken()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("does not repeat", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newToken()));
    expect(tokens.size).toBe(200);
  });
});
