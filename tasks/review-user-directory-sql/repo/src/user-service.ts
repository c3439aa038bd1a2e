import type { Page } from './pagination';
import type { User, UserRepository } from './user-repo';

export class UserNotFoundError extends Error {
  constructor(readonly userId: number) {
    super(`user ${userId} not found`);
    this.name = 'UserNotFoundError';
  }
}

/** Shortest search term we send to the database; shorter ones match half the table. */
export const MIN_TERM_LENGTH = 2;

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: (event: string) => void,
  ) {}

  async directory(term: string, page = 1): Promise<Page<User>> {
    if (term.trim().length < MIN_TERM_LENGTH) {
      return { items: [], page, pageSize: 0, hasMore: false };
    }
    return this.users.search(term, { page });
  }

  async deactivateUser(id: number, actor: string): Promise<void> {
    const changed = await this.users.deactivate(id);
    if (!changed) throw new UserNotFoundError(id);
    this.audit(`user ${id} deactivated by ${actor}`);
  }
}
