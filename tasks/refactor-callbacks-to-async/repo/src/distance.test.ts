import { describe, expect, it } from "vitest";
import { distanceKm } from "./distance";

describe("distanceKm", () => {
    it("is zero for the same point and symmetric", () => {
        const paris = { lat: 48.8566, lon: 2.3522 };
        const london = { lat: 51.5074, lon: -0.1278 };
        expect(distanceKm(paris, paris)).toBe(0);
        expect(distanceKm(paris, london)).toBeCloseTo(distanceKm(london, paris), 9);
        expect(Math.round(distanceKm(paris, london))).toBe(344);
    });
});
