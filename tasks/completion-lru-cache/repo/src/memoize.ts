import { LRUCache } from './lru-cache'

export interface MemoizeOptions<A extends unknown[]> {
    maxSize: number
    ttlMs?: number
    /** Cache key for the arguments. Default: JSON of the argument list. */
    key?: (...args: A) => string
}

/**
 * Wraps an async function so concurrent and repeated calls with the same key share one promise.
 * Rejected promises are dropped from the cache so the next call retries.
 */
export function memoizeAsync<A extends unknown[], R>(
    fn: (...args: A) => Promise<R>,
    options: MemoizeOptions<A>,
): (...args: A) => Promise<R> {
    const cache = new LRUCache<string, Promise<R>>({ maxSize: options.maxSize, ttlMs: options.ttlMs })
    const keyOf = options.key ?? ((...args: A) => JSON.stringify(args))
    return (...args: A) => {
        const key = keyOf(...args)
        const hit = cache.get(key)
        if (hit !== undefined) return hit
        const pending = fn(...args)
        cache.set(key, pending)
        pending.catch(() => cache.delete(key))
        return pending
    }
}
