import { geocode, type Place } from "./geocode";
import type { Callback, Transport } from "./transport";

export interface BatchOptions {
    /** Fail the whole batch on the first error (default) or record null and go on. */
    stopOnError?: boolean;
}

/**
 * Geocodes `queries` one at a time (the upstream rate-limits parallel calls). Repeated queries
 * are answered from a per-batch cache. Results keep the input order.
 */
export function geocodeAll(transport: Transport, queries: string[], options: BatchOptions, cb: Callback<Array<Place | null>>): void {
    const stopOnError = options.stopOnError ?? true;
    const cache = new Map<string, Place | null>();
    const out: Array<Place | null> = [];

    const next = (i: number): void => {
        if (i === queries.length) return cb(null, out);
        const key = queries[i].trim().toLowerCase();
        if (cache.has(key)) {
            out.push(cache.get(key) ?? null);
            return next(i + 1);
        }
        geocode(transport, queries[i], (err, place) => {
            if (err && stopOnError) return cb(err);
            cache.set(key, place ?? null);
            out.push(place ?? null);
            next(i + 1);
        });
    };
    next(0);
}
