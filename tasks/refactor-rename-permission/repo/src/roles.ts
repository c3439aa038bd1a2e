export type Perm =
  | 'doc:read'
  | 'doc:write'
  | 'doc:delete'
  | 'doc:share'
  | 'member:invite'
  | 'billing:manage'

export type Role = 'viewer' | 'editor' | 'admin' | 'owner'

const VIEWER: Perm[] = ['doc:read']
const EDITOR: Perm[] = [...VIEWER, 'doc:write', 'doc:share']
const ADMIN: Perm[] = [...EDITOR, 'doc:delete', 'member:invite']

export const ROLE_GRANTS: Record<Role, readonly Perm[]> = {
  viewer: VIEWER,
  editor: EDITOR,
  admin: ADMIN,
  owner: [...ADMIN, 'billing:manage'],
}

export function isPerm(value: string): value is Perm {
  return Object.values(ROLE_GRANTS).some((grants) =>
    grants.includes(value as Perm),
  )
}
