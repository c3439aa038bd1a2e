import { describe, expect, it } from 'vitest'
import { FlagStore } from './flag-store'

const flag = { key: 'new-checkout', enabled: true, rollout: 100 }

describe('FlagStore', () => {
  it('turns a fully rolled-out flag on', () => {
    const store = new FlagStore()
    store.load([flag])
    expect(store.explain('new-checkout', { userId: 'u1' })).toEqual({ on: true, reason: 'rollout' })
  })

  it('respects the kill switch and the block list', () => {
    const store = new FlagStore()
    store.load([
      { ...flag, enabled: false },
      { ...flag, key: 'b', blocked: ['u1'] },
    ])
    expect(store.explain('new-checkout', { userId: 'u1' }).reason).toBe('disabled')
    expect(store.explain('b', { userId: 'u1' }).reason).toBe('blocked')
  })

  it('targets users matching every rule', () => {
    const store = new FlagStore()
    const rules = [{ attribute: 'plan', op: 'eq' as const, value: 'pro' }]
    store.load([{ ...flag, rollout: 0, targeting: rules }])
    const pro = { userId: 'u9', attributes: { plan: 'pro' } }
    expect(store.explain('new-checkout', pro)).toEqual({ on: true, reason: 'targeted' })
  })

  it('reports an unknown key once', () => {
    const unknown: string[] = []
    const store = new FlagStore({ onUnknownFlag: (key) => unknown.push(key) })
    store.isEnabled('new-chekout', { userId: 'u1' })
    store.isEnabled('new-chekout', { userId: 'u2' })
    expect(unknown).toEqual(['new-chekout'])
  })

  it('rejects rollouts outside 0..100', () => {
    expect(() => new FlagStore().load([{ ...flag, rollout: 150 }])).toThrow(/0\.\.100/)
  })
})
