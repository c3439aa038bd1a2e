import type { Perm } from './roles'
import type { User } from './policy'
import { checkPerm } from './policy'

export interface AccessLine {
  perm: Perm
  allowed: boolean
}

/** A table of which of `perms` the user holds, for the admin "why can't I?" screen. */
export function explainAccess(user: User, perms: Perm[]): AccessLine[] {
  return perms.map((perm) => ({ perm, allowed: checkPerm(user, perm) }))
}

export function formatAccess(lines: AccessLine[]): string {
  return lines.map((l) => `${l.allowed ? 'yes' : 'no '}  ${l.perm}`).join('\n')
}
