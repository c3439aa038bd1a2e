import { describe, expect, it } from 'vitest'
import { bucketOf, fnv1a32 } from './hash'

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
  })
})

describe('bucketOf', () => {
  it('is stable and within 0..99', () => {
    const buckets = Array.from({ length: 500 }, (_, i) => bucketOf('new-checkout', `user-${i}`))
    expect(buckets.every((b) => b >= 0 && b < 100)).toBe(true)
    expect(bucketOf('new-checkout', 'user-7')).toBe(buckets[7])
  })
})
