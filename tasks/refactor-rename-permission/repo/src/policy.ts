import type { Perm, Role } from './roles'
import { ROLE_GRANTS } from './roles'

export interface User {
  id: string
  roles: Role[]
  /** Extra grants on top of the roles, e.g. from a share link. */
  grants?: Perm[]
  suspended?: boolean
}

export interface Resource {
  ownerId: string
}

/**
 * True when `user` may perform `perm`. Suspended users may do nothing; the owner of a
 * resource may always read, write and share it.
 */
export function checkPerm(
  user: User,
  perm: Perm,
  resource?: Resource,
): boolean {
  if (user.suspended) return false
  if (user.grants?.includes(perm)) return true
  if (resource && resource.ownerId === user.id && perm !== 'doc:delete') {
    if (perm.startsWith('doc:')) return true
  }
  return user.roles.some((role) => ROLE_GRANTS[role].includes(perm))
}

export function grantedPerms(user: User): Perm[] {
  const all = new Set<Perm>(user.grants ?? [])
  for (const role of user.roles) for (const p of ROLE_GRANTS[role]) all.add(p)
  return [...all].sort()
}
