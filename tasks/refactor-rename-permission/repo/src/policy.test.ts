import { describe, expect, it } from 'vitest'
import { checkPerm, grantedPerms } from './policy'
import type { User } from './policy'

const editor: User = { id: 'u1', roles: ['editor'] }

describe('access checks', () => {
  it('follows role grants', () => {
    expect(checkPerm(editor, 'doc:write')).toBe(true)
    expect(checkPerm(editor, 'doc:delete')).toBe(false)
  })

  it('lets owners edit but not delete their own docs', () => {
    const viewer: User = { id: 'u2', roles: ['viewer'] }
    expect(checkPerm(viewer, 'doc:write', { ownerId: 'u2' })).toBe(true)
    expect(checkPerm(viewer, 'doc:delete', { ownerId: 'u2' })).toBe(false)
  })

  it('denies everything to suspended users', () => {
    expect(checkPerm({ ...editor, suspended: true }, 'doc:read')).toBe(false)
  })
})

describe('granted permissions', () => {
  it('merges role and extra grants, sorted', () => {
    expect(
      grantedPerms({ id: 'u3', roles: ['viewer'], grants: ['doc:share'] }),
    ).toEqual(['doc:read', 'doc:share'])
  })
})
