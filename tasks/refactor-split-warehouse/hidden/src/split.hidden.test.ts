import { describe, expect, it } from "vitest";
import { ReservationBook } from "./reservation_book";
import { StockError, StockLedger } from "./stock_ledger";
import { Warehouse, StockError as ReexportedError } from "./warehouse";

describe("StockLedger", () => {
    it("tracks units and refuses to go negative", () => {
        const ledger = new StockLedger();
        ledger.receive("mug", 3);
        ledger.remove("mug", 2);
        expect(ledger.onHand("mug")).toBe(1);
        expect(ledger.onHand("none")).toBe(0);
        expect(() => ledger.remove("mug", 2)).toThrow(StockError);
        expect(() => ledger.receive("mug", 1.5)).toThrow(/positive integer/);
    });
});

describe("ReservationBook", () => {
    it("holds, sums, takes and expires reservations", () => {
        const book = new ReservationBook();
        book.add({ orderId: "a", sku: "mug", qty: 2, expiresAt: 100 });
        book.add({ orderId: "b", sku: "mug", qty: 1, expiresAt: 200 });
        expect(book.heldQty("mug")).toBe(3);
        expect(() => book.add({ orderId: "a", sku: "mug", qty: 1, expiresAt: 1 })).toThrow("order a already holds stock");
        expect(book.expire(100)).toEqual(["a"]);
        expect(book.take("b")).toMatchObject({ orderId: "b", qty: 1 });
        expect(() => book.take("b")).toThrow(StockError);
        expect(book.heldQty("mug")).toBe(0);
    });
});

describe("Warehouse facade", () => {
    it("composes both and keeps StockError importable from ./warehouse", () => {
        expect(ReexportedError).toBe(StockError);
        const w = new Warehouse();
        w.receive("cap", 2);
        w.reserve("o", "cap", 2, 0);
        expect(() => w.reserve("p", "cap", 1, 0)).toThrow(StockError);
        w.ship("o");
        expect(w.available("cap")).toBe(0);
    });
});
