/** Hit/miss counters for a cache, e.g. for a `/metrics` endpoint. */
export class CacheStats {
    hits = 0
    misses = 0

    record(hit: boolean): void {
        if (hit) this.hits++
        else this.misses++
    }

    /** Hits / lookups in [0, 1]; 0 before the first lookup. */
    get hitRate(): number {
        const total = this.hits + this.misses
        return total === 0 ? 0 : this.hits / total
    }

    toString(): string {
        return `hits=${this.hits} misses=${this.misses} rate=${(this.hitRate * 100).toFixed(1)}%`
    }
}
