import { describe, expect, it } from 'vitest'
import { LimiterRegistry } from './registry'

describe('LimiterRegistry', () => {
  it('limits each key separately and forgets the least recently used key', () => {
    const now = 0
    const reg = new LimiterRegistry({
      capacity: 1,
      refillPerSec: 1,
      maxKeys: 2,
      now: () => now,
    })
    expect(reg.allow('a')).toBe(true)
    expect(reg.allow('a')).toBe(false)
    expect(reg.allow('b')).toBe(true)
    expect(reg.allow('c')).toBe(true)
    expect(reg.size).toBe(2)
    // 'a' was evicted, so it starts with a full bucket again
    expect(reg.allow('a')).toBe(true)
  })
})
