import type { Perm } from './roles'
import type { Resource, User } from './policy'
import { checkPerm } from './policy'

export class ForbiddenError extends Error {
  readonly status = 403
  constructor(
    readonly userId: string,
    readonly perm: Perm,
  ) {
    super(`user ${userId} lacks ${perm}`)
    this.name = 'ForbiddenError'
  }
}

export interface Request {
  user: User
  resource?: Resource
}

type Handler<T> = (req: Request) => Promise<T>

/** Wraps a handler so it only runs when the caller holds `perm`. */
export function requirePerm<T>(perm: Perm, handler: Handler<T>): Handler<T> {
  return async (req) => {
    if (!checkPerm(req.user, perm, req.resource)) {
      throw new ForbiddenError(req.user.id, perm)
    }
    return handler(req)
  }
}
