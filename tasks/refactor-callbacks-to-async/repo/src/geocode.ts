import type { Callback, Transport } from "./transport";

export interface Place {
    label: string;
    lat: number;
    lon: number;
}

export class HttpError extends Error {
    constructor(readonly status: number, readonly path: string) {
        super(`GET ${path} failed with ${status}`);
        this.name = "HttpError";
    }
}

export function geocodePath(query: string): string {
    return `/geocode?q=${encodeURIComponent(query.trim().toLowerCase())}`;
}

/** Resolves a free-text address to its best match; fails when the service knows no match. */
export function geocode(transport: Transport, query: string, cb: Callback<Place>): void {
    const url = geocodePath(query);
    transport.get(url, (err, res) => {
        if (err) return cb(err);
        if (!res || res.status !== 200) return cb(new HttpError(res?.status ?? 0, url));
        let results: Place[];
        try {
            results = (JSON.parse(res.body) as { results: Place[] }).results;
        } catch (e) {
            return cb(new Error(`GET ${url} returned invalid JSON`, { cause: e }));
        }
        if (results.length === 0) return cb(new Error(`no match for "${query}"`));
        cb(null, results[0]);
    });
}
