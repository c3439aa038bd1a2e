export interface HttpResponse {
    status: number;
    body: string;
}

export type Callback<T> = (err: Error | null, value?: T) => void;

export interface Transport {
    get(path: string, cb: Callback<HttpResponse>): void;
}

/**
 * In-memory transport for tests and offline runs: `routes` maps a path (with query) to a JSON
 * body. Unknown paths answer 404. Answers asynchronously, like a real socket would.
 */
export function createMemoryTransport(routes: Record<string, unknown>): Transport & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        get(path, cb) {
            calls.push(path);
            setTimeout(() => {
                if (!(path in routes)) return cb(null, { status: 404, body: "not found" });
                cb(null, { status: 200, body: JSON.stringify(routes[path]) });
            }, 0);
        },
    };
}
