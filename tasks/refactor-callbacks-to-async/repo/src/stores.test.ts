import { describe, expect, it } from "vitest";
import { nearestStore, type NearestStore } from "./stores";
import { createMemoryTransport } from "./transport";

const stores = [
    { id: "paris-11", lat: 48.8589, lon: 2.3795 },
    { id: "london-soho", lat: 51.5136, lon: -0.1365 },
];

describe("nearest store", () => {
    it("picks the closest store to the geocoded address", async () => {
        const transport = createMemoryTransport({ "/geocode?q=louvre": { results: [{ label: "Louvre", lat: 48.8606, lon: 2.3376 }] } });
        const result = await new Promise<NearestStore>((resolve, reject) =>
            nearestStore(transport, "Louvre", stores, (err, r) => (err || !r ? reject(err) : resolve(r))),
        );
        expect(result.store.id).toBe("paris-11");
        expect(result.km).toBe(3.1);
    });
});
