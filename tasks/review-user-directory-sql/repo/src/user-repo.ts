import type { Db } from './db';
import { toLimitOffset, toPage, type Page, type PageRequest } from './pagination';

export interface User {
  id: number;
  email: string;
  name: string;
  active: boolean;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  active: 0 | 1;
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, active: row.active === 1 };
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  async findById(id: number): Promise<User | undefined> {
    const rows = await this.db.query<UserRow>('SELECT id, email, name, active FROM users WHERE id = ?', [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /** Case-insensitive match on name or email, active users only, newest first. */
  async search(term: string, req: PageRequest = {}): Promise<Page<User>> {
    const { limit, offset, page, pageSize } = toLimitOffset(req);
    const needle = term.trim().toLowerCase();
    const rows = await this.db.query<UserRow>(
      `SELECT id, email, name, active FROM users
       WHERE active = 1 AND (lower(name) LIKE '%${needle}%' OR lower(email) LIKE '%${needle}%')
       ORDER BY id DESC LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    return toPage(rows.map(toUser), page, pageSize);
  }

  /** Marks a user inactive; resolves true when a row changed, false when there is no such user. */
  async deactivate(id: number): Promise<boolean> {
    try {
      const result = await this.db.execute('UPDATE users SET active = 0 WHERE id = ?', [id]);
      return result.changes > 0;
    } catch {
      return false;
    }
  }
}
