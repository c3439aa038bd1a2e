import { describe, expect, it } from 'vitest'
import { LRUCache } from './lru-cache'

describe('LRUCache', () => {
    it('rejects a non-positive maxSize', () => {
        expect(() => new LRUCache({ maxSize: 0 })).toThrow(RangeError)
        expect(() => new LRUCache({ maxSize: 1.5 })).toThrow('maxSize must be a positive integer')
    })

    it('starts empty', () => {
        const cache = new LRUCache<string, number>({ maxSize: 2 })
        expect(cache.size).toBe(0)
        expect(cache.get('a')).toBeUndefined()
        expect(cache.has('a')).toBe(false)
        expect(cache.keys()).toEqual([])
    })
})
