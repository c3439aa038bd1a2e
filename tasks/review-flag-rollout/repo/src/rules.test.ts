import { describe, expect, it } from 'vitest'
import { matches } from './rules'

const ctx = { userId: 'u1', attributes: { plan: 'pro', seats: 12, beta: true } }

describe('matches', () => {
  it('compares eq, in and gte', () => {
    expect(matches({ attribute: 'plan', op: 'eq', value: 'pro' }, ctx)).toBe(true)
    expect(matches({ attribute: 'plan', op: 'in', values: ['free', 'team'] }, ctx)).toBe(false)
    expect(matches({ attribute: 'seats', op: 'gte', value: 10 }, ctx)).toBe(true)
  })

  it('never matches a missing attribute', () => {
    expect(matches({ attribute: 'country', op: 'eq', value: 'DE' }, ctx)).toBe(false)
  })
})
