import type { Warehouse } from "./warehouse";

export interface OrderLine {
    orderId: string;
    sku: string;
    qty: number;
}

export type Clock = () => number;

/** Checkout flow: hold stock while the customer pays, ship or release afterwards. */
export class OrderService {
    constructor(private readonly warehouse: Warehouse, private readonly clock: Clock = Date.now) {}

    hold(line: OrderLine): { ok: true; expiresAt: number } | { ok: false; reason: string } {
        try {
            const r = this.warehouse.reserve(line.orderId, line.sku, line.qty, this.clock());
            return { ok: true, expiresAt: r.expiresAt };
        } catch (e) {
            return { ok: false, reason: (e as Error).message };
        }
    }

    paid(orderId: string): void {
        this.warehouse.ship(orderId);
    }

    cancelled(orderId: string): void {
        this.warehouse.release(orderId);
    }
}
