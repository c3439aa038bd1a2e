import { describe, expect, it } from "vitest";
import { OrderService } from "./order_service";
import { runRestock } from "./restock_job";
import { StockError, Warehouse } from "./warehouse";

describe("warehouse", () => {
    it("holds reduce availability until shipped or released", () => {
        const w = new Warehouse();
        w.receive("mug", 10);
        w.reserve("o1", "mug", 4, 0);
        expect(w.available("mug")).toBe(6);
        w.ship("o1");
        expect(w.available("mug")).toBe(6);
        w.reserve("o2", "mug", 6, 0);
        expect(w.release("o2")).toBe(true);
        expect(w.available("mug")).toBe(6);
    });

    it("refuses to over-reserve or double-reserve", () => {
        const w = new Warehouse();
        w.receive("mug", 2);
        expect(() => w.reserve("o1", "mug", 3, 0)).toThrow("only 2 of mug available");
        w.reserve("o1", "mug", 1, 0);
        expect(() => w.reserve("o1", "mug", 1, 0)).toThrow(StockError);
        expect(() => w.receive("mug", 0)).toThrow(/positive integer/);
    });
});

describe("checkout and restock", () => {
    it("reports failed holds and expires stale ones before reordering", () => {
        const w = new Warehouse();
        w.receive("tee", 5);
        const orders = new OrderService(w, () => 1_000);
        expect(orders.hold({ orderId: "a", sku: "tee", qty: 5 })).toEqual({ ok: true, expiresAt: 901_000 });
        expect(orders.hold({ orderId: "b", sku: "tee", qty: 1 })).toEqual({ ok: false, reason: "only 0 of tee available" });
        expect(runRestock(w, { tee: 3, cap: 2 }, 500_000)).toEqual({ expired: [], reorder: [{ sku: "tee", short: 3 }, { sku: "cap", short: 2 }] });
        expect(runRestock(w, { tee: 3 }, 901_000)).toEqual({ expired: ["a"], reorder: [] });
    });
});
