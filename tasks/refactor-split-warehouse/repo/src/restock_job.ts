import type { Warehouse } from "./warehouse";

export interface RestockReport {
    expired: string[];
    reorder: Array<{ sku: string; short: number }>;
}

/** Nightly job: lapse stale holds first, then compute what to reorder. */
export function runRestock(warehouse: Warehouse, thresholds: Record<string, number>, now: number): RestockReport {
    const expired = warehouse.expireHolds(now);
    return { expired, reorder: warehouse.reorderList(thresholds) };
}
