import { describe, expect, it } from 'vitest'
import { CacheStats } from './stats'

describe('CacheStats', () => {
    it('computes the hit rate', () => {
        const stats = new CacheStats()
        expect(stats.hitRate).toBe(0)
        stats.record(true)
        stats.record(true)
        stats.record(false)
        stats.record(true)
        expect(stats.hitRate).toBe(0.75)
        expect(String(stats)).toBe('hits=3 misses=1 rate=75.0%')
    })
})
