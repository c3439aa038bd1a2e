export interface LRUOptions<K, V> {
    /** Maximum number of entries; must be a positive integer. */
    maxSize: number
    /** Entries older than this (ms) are treated as missing. Default: no expiry. */
    ttlMs?: number
    /** Called with each entry pushed out because the cache was full (not on delete or overwrite). */
    onEvict?: (key: K, value: V) => void
    /** Clock in ms; injectable for tests. Default `Date.now`. */
    now?: () => number
}

interface Entry<V> {
    value: V
    /** Epoch ms after which the entry is stale; Infinity without a TTL. */
    expiresAt: number
}

/**
 * A least-recently-used cache. A `Map` keeps insertion order, so the first key is always the least
 * recently used one: reads and writes re-insert their key at the end.
 */
export class LRUCache<K, V> {
    private readonly entries = new Map<K, Entry<V>>()
    private readonly maxSize: number
    private readonly ttlMs: number
    private readonly onEvict?: (key: K, value: V) => void
    private readonly now: () => number

    constructor(options: LRUOptions<K, V>) {
        if (!Number.isInteger(options.maxSize) || options.maxSize < 1) {
            throw new RangeError(`maxSize must be a positive integer, got ${options.maxSize}`)
        }
        this.maxSize = options.maxSize
        this.ttlMs = options.ttlMs ?? Infinity
        this.onEvict = options.onEvict
        this.now = options.now ?? Date.now
    }

    get size(): number {
        return this.entries.size
    }

    /** The value for `key`, marking it most recently used; undefined when missing or expired. */
    get(key: K): V | undefined {
        const entry = this.entries.get(key)
        if (entry === undefined) return undefined
        if (entry.expiresAt <= this.now()) {
            this.entries.delete(key)
            return undefined
        }
        this.entries.delete(key)
        this.entries.set(key, entry)
        return entry.value
    }

    /** True when `key` is present and fresh. Does not change recency. */
    has(key: K): boolean {
        const entry = this.entries.get(key)
        return entry !== undefined && entry.expiresAt > this.now()
    }

    /**
     * Stores `value` under `key` as the most recently used entry (an existing key is overwritten and
     * moved to the end, its TTL restarted). When the cache then holds more than `maxSize` entries,
     * the least recently used ones are removed and passed to `onEvict`. Returns the cache for chaining.
     */
    set(key: K, value: V): this {
        throw new Error('not implemented')
    }

    delete(key: K): boolean {
        return this.entries.delete(key)
    }

    clear(): void {
        this.entries.clear()
    }

    /** Keys from least to most recently used (expired entries included until touched). */
    keys(): K[] {
        return [...this.entries.keys()]
    }
}
