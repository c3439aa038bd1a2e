import { describe, expect, it } from "vitest";
import { geocodeAll } from "./batch";
import { geocode, HttpError } from "./geocode";
import { nearestStore } from "./stores";
import { createMemoryTransport, type Transport } from "./transport";

const routes = {
    "/geocode?q=louvre": { results: [{ label: "Louvre", lat: 48.8606, lon: 2.3376 }] },
    "/geocode?q=nowhere": { results: [] },
};

describe("promise-based API", () => {
    it("transport.get resolves the response", async () => {
        const res = await createMemoryTransport(routes).get("/geocode?q=louvre");
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toEqual(routes["/geocode?q=louvre"]);
    });

    it("geocode resolves the best match or rejects", async () => {
        const transport = createMemoryTransport(routes);
        await expect(geocode(transport, " LOUVRE")).resolves.toMatchObject({ label: "Louvre" });
        await expect(geocode(transport, "nowhere")).rejects.toThrow('no match for "nowhere"');
        await expect(geocode(transport, "atlantis")).rejects.toBeInstanceOf(HttpError);
        const html: Transport = { get: async () => ({ status: 200, body: "<html>" }) };
        await expect(geocode(html, "louvre")).rejects.toThrow("returned invalid JSON");
    });

    it("geocodeAll resolves with default options and honours stopOnError", async () => {
        const transport = createMemoryTransport(routes);
        await expect(geocodeAll(transport, ["louvre", "louvre"])).resolves.toHaveLength(2);
        expect(transport.calls).toEqual(["/geocode?q=louvre"]);
        await expect(geocodeAll(transport, ["nowhere"])).rejects.toThrow("no match");
        await expect(geocodeAll(transport, ["nowhere", "louvre"], { stopOnError: false })).resolves.toEqual([
            null,
            { label: "Louvre", lat: 48.8606, lon: 2.3376 },
        ]);
    });

    it("nearestStore resolves, and rejects (not throws) without stores", async () => {
        const transport = createMemoryTransport(routes);
        const result = await nearestStore(transport, "louvre", [{ id: "p", lat: 48.86, lon: 2.34 }]);
        expect(result.store.id).toBe("p");
        const pending = nearestStore(transport, "louvre", []);
        await expect(pending).rejects.toThrow("no stores given");
    });
});
