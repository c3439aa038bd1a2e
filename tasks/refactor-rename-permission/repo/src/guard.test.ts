import { describe, expect, it } from 'vitest'
import { ForbiddenError, requirePerm } from './guard'

describe('guarded handlers', () => {
  const handler = requirePerm('member:invite', async () => 'invited')

  it('runs the handler when allowed', async () => {
    await expect(
      handler({ user: { id: 'a', roles: ['admin'] } }),
    ).resolves.toBe('invited')
  })

  it('throws a 403 ForbiddenError otherwise', async () => {
    const err = await handler({ user: { id: 'e', roles: ['editor'] } }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ForbiddenError)
    expect(err).toMatchObject({ status: 403, perm: 'member:invite' })
  })
})
