export interface Reservation {
    orderId: string;
    sku: string;
    qty: number;
    /** Epoch ms after which the hold lapses. */
    expiresAt: number;
}

export class StockError extends Error {
    constructor(message: string, readonly sku: string) {
        super(message);
        this.name = "StockError";
    }
}

/** Stock on hand per SKU plus time-limited holds for orders that are not shipped yet. */
export class Warehouse {
    private readonly onHand = new Map<string, number>();
    private readonly holds = new Map<string, Reservation>();

    receive(sku: string, qty: number): void {
        if (!Number.isInteger(qty) || qty <= 0) throw new StockError(`receive: qty must be a positive integer, got ${qty}`, sku);
        this.onHand.set(sku, (this.onHand.get(sku) ?? 0) + qty);
    }

    /** On hand minus what active holds have set aside. */
    available(sku: string): number {
        let held = 0;
        for (const r of this.holds.values()) if (r.sku === sku) held += r.qty;
        return (this.onHand.get(sku) ?? 0) - held;
    }

    reserve(orderId: string, sku: string, qty: number, now: number, ttlMs = 15 * 60_000): Reservation {
        if (this.holds.has(orderId)) throw new StockError(`order ${orderId} already holds stock`, sku);
        if (qty > this.available(sku)) throw new StockError(`only ${this.available(sku)} of ${sku} available`, sku);
        const reservation = { orderId, sku, qty, expiresAt: now + ttlMs };
        this.holds.set(orderId, reservation);
        return reservation;
    }

    release(orderId: string): boolean {
        return this.holds.delete(orderId);
    }

    /** Turns the order's hold into a shipment: stock leaves the building. */
    ship(orderId: string): Reservation {
        const r = this.holds.get(orderId);
        if (!r) throw new StockError(`order ${orderId} has no reservation`, "?");
        this.holds.delete(orderId);
        this.onHand.set(r.sku, (this.onHand.get(r.sku) ?? 0) - r.qty);
        return r;
    }

    /** Drops holds whose `expiresAt` is at or before `now`; returns the released order ids. */
    expireHolds(now: number): string[] {
        const expired = [...this.holds.values()].filter((r) => r.expiresAt <= now).map((r) => r.orderId);
        for (const id of expired) this.holds.delete(id);
        return expired;
    }

    /** SKUs whose available stock is below their threshold, most urgent first. */
    reorderList(thresholds: Record<string, number>): Array<{ sku: string; short: number }> {
        return Object.entries(thresholds)
            .map(([sku, min]) => ({ sku, short: min - this.available(sku) }))
            .filter((x) => x.short > 0)
            .sort((a, b) => b.short - a.short || a.sku.localeCompare(b.sku));
    }
}
