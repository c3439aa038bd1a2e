import { describe, expect, it } from 'vitest'
import * as policy from './policy'
import * as guard from './guard'
import { hasPermission } from './policy'
import { requirePermission } from './guard'
import type { Permission } from './roles'

describe('renamed permission API', () => {
  it('exposes hasPermission with the same rules', () => {
    const p: Permission = 'doc:share'
    expect(hasPermission({ id: 'x', roles: ['editor'] }, p)).toBe(true)
    expect(hasPermission({ id: 'x', roles: ['viewer'] }, p)).toBe(false)
    expect(
      hasPermission({ id: 'x', roles: ['viewer'] }, p, { ownerId: 'x' }),
    ).toBe(true)
  })

  it('exposes requirePermission', async () => {
    const h = requirePermission('billing:manage', async () => 42)
    await expect(h({ user: { id: 'o', roles: ['owner'] } })).resolves.toBe(42)
    await expect(h({ user: { id: 'a', roles: ['admin'] } })).rejects.toThrow(
      'user a lacks billing:manage',
    )
  })

  it('keeps no old names around', () => {
    expect(policy).not.toHaveProperty('checkPerm')
    expect(guard).not.toHaveProperty('requirePerm')
  })
})
