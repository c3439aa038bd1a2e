import { describe, expect, it } from "vitest";
import { chunk } from "./chunk";

describe("chunk", () => {
    it("splits with a short tail", () => {
        expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    });

    it("rejects size 0", () => {
        expect(() => chunk([1], 0)).toThrow("size must be a positive integer");
    });
});
