import { describe, expect, it } from 'vitest'
import { LRUCache } from './lru-cache'
import { memoizeAsync } from './memoize'

describe('LRUCache.set', () => {
    it('stores and returns values', () => {
        const cache = new LRUCache<string, number>({ maxSize: 2 })
        expect(cache.set('a', 1)).toBe(cache)
        expect(cache.get('a')).toBe(1)
        expect(cache.size).toBe(1)
    })

    it('evicts the least recently used entry', () => {
        const evicted: [string, number][] = []
        const cache = new LRUCache<string, number>({ maxSize: 2, onEvict: (k, v) => evicted.push([k, v]) })
        cache.set('a', 1).set('b', 2)
        cache.get('a')
        cache.set('c', 3)
        expect(cache.keys()).toEqual(['a', 'c'])
        expect(evicted).toEqual([['b', 2]])
    })

    it('overwrites without evicting and moves the key to the end', () => {
        const evicted: string[] = []
        const cache = new LRUCache<string, number>({ maxSize: 2, onEvict: (k) => evicted.push(k) })
        cache.set('a', 1).set('b', 2).set('a', 10)
        expect(cache.keys()).toEqual(['b', 'a'])
        expect(cache.get('a')).toBe(10)
        expect(cache.size).toBe(2)
        expect(evicted).toEqual([])
    })

    it('expires entries after ttlMs and restarts the TTL on overwrite', () => {
        let now = 1_000
        const cache = new LRUCache<string, string>({ maxSize: 5, ttlMs: 100, now: () => now })
        cache.set('k', 'v1')
        now = 1_099
        expect(cache.get('k')).toBe('v1')
        cache.set('k', 'v2')
        now = 1_150
        expect(cache.get('k')).toBe('v2')
        now = 1_199
        expect(cache.has('k')).toBe(false)
        expect(cache.get('k')).toBeUndefined()
    })

    it('works with object keys', () => {
        const a = { id: 1 }
        const b = { id: 1 }
        const cache = new LRUCache<object, string>({ maxSize: 1 })
        cache.set(a, 'first').set(b, 'second')
        expect(cache.has(a)).toBe(false)
        expect(cache.get(b)).toBe('second')
    })
})

describe('memoizeAsync', () => {
    it('shares one call per key and retries after a rejection', async () => {
        let calls = 0
        const load = memoizeAsync(
            async (id: number) => {
                calls++
                if (calls === 1) throw new Error('flaky')
                return `user ${id}`
            },
            { maxSize: 10 },
        )
        await expect(load(1)).rejects.toThrow('flaky')
        await Promise.resolve()
        const [x, y] = await Promise.all([load(1), load(1)])
        expect([x, y, calls]).toEqual(['user 1', 'user 1', 2])
    })
})
