import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryable } from "./backoff";

describe("backoffDelay", () => {
    it("doubles from the base delay", () => {
        const options = { baseMs: 100, capMs: 10_000 };
        expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, options))).toEqual([100, 200, 400, 800]);
    });

    it("never exceeds the cap", () => {
        expect(backoffDelay(20, { baseMs: 100, capMs: 5_000 })).toBe(5_000);
    });

    it("scales by the jitter factor", () => {
        expect(backoffDelay(3, { baseMs: 100, capMs: 10_000, jitter: () => 0.5 })).toBe(200);
    });
});

describe("isRetryable", () => {
    it("retries rate limits and server errors only", () => {
        expect([408, 429, 500, 503].every(isRetryable)).toBe(true);
        expect([400, 401, 404, 410].some(isRetryable)).toBe(false);
    });
});
