import { describe, expect, it } from "vitest";
import { geocodeAll } from "./batch";
import type { Place } from "./geocode";
import { HttpError } from "./geocode";
import { createMemoryTransport } from "./transport";

const routes = {
    "/geocode?q=10%20downing%20st": { results: [{ label: "10 Downing St", lat: 51.5034, lon: -0.1276 }] },
    "/geocode?q=louvre": { results: [{ label: "Louvre", lat: 48.8606, lon: 2.3376 }, { label: "Louvre-Lens", lat: 50.43, lon: 2.8 }] },
};

function run(transport: ReturnType<typeof createMemoryTransport>, queries: string[], stopOnError?: boolean): Promise<Array<Place | null>> {
    return new Promise((resolve, reject) => {
        geocodeAll(transport, queries, { stopOnError }, (err, places) => (err ? reject(err) : resolve(places ?? [])));
    });
}

describe("batch geocoding", () => {
    it("keeps input order, takes the best match and caches repeats", async () => {
        const transport = createMemoryTransport(routes);
        const places = await run(transport, ["Louvre", "10 Downing St", " louvre "]);
        expect(places.map((p) => p?.label)).toEqual(["Louvre", "10 Downing St", "Louvre"]);
        expect(transport.calls).toHaveLength(2);
    });

    it("stops on the first error by default", async () => {
        const err = await run(createMemoryTransport(routes), ["Louvre", "Atlantis"]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HttpError);
        expect(err).toMatchObject({ status: 404, path: "/geocode?q=atlantis" });
    });

    it("records null and continues when stopOnError is false", async () => {
        const places = await run(createMemoryTransport(routes), ["Atlantis", "Louvre"], false);
        expect(places.map((p) => p?.label ?? null)).toEqual([null, "Louvre"]);
    });
});
