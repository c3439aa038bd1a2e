import { describe, expect, it } from "vitest";
import { SubscriptionRegistry } from "./registry";

const sub = (id: string, events: string[]) => ({ id, url: `https://hooks.example.com/${id}`, events, secret: "s" });

describe("SubscriptionRegistry", () => {
    it("matches exact types and the wildcard", () => {
        const registry = new SubscriptionRegistry();
        registry.add(sub("a", ["invoice.paid"]));
        registry.add(sub("b", ["*"]));
        registry.add(sub("c", ["invoice.voided"]));
        expect(registry.matching("invoice.paid").map((s) => s.id)).toEqual(["a", "b"]);
    });

    it("refuses plain http endpoints", () => {
        const registry = new SubscriptionRegistry();
        expect(() => registry.add({ ...sub("a", ["*"]), url: "http://hooks.example.com" })).toThrow(/must use https/);
    });
});
