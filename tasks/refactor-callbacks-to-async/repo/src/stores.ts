import { distanceKm } from "./distance";
import { geocode } from "./geocode";
import type { Callback, Transport } from "./transport";

export interface Store {
    id: string;
    lat: number;
    lon: number;
}

export interface NearestStore {
    store: Store;
    /** Distance from the geocoded address, rounded to 0.1 km. */
    km: number;
}

/** The store closest to `address`; fails when there are no stores or the address is unknown. */
export function nearestStore(transport: Transport, address: string, stores: Store[], cb: Callback<NearestStore>): void {
    if (stores.length === 0) return cb(new Error("nearestStore: no stores given"));
    geocode(transport, address, (err, place) => {
        if (err || !place) return cb(err ?? new Error("no place"));
        let best: NearestStore | null = null;
        for (const store of stores) {
            const km = Math.round(distanceKm(place, store) * 10) / 10;
            if (best === null || km < best.km) best = { store, km };
        }
        cb(null, best ?? undefined);
    });
}
