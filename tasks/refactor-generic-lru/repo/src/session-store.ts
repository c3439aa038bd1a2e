import { StringLru } from './lru';

export interface Session {
  userId: string;
  scopes: string[];
  /** Epoch ms after which the session is no longer valid. */
  expiresAt: number;
}

/** Hot sessions kept in memory; expired ones are dropped on read. */
export class SessionStore {
  private readonly cache: StringLru;

  constructor(
    capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new StringLru(capacity);
  }

  put(token: string, session: Session): void {
    this.cache.set(token, JSON.stringify(session));
  }

  get(token: string): Session | undefined {
    const raw = this.cache.get(token);
    if (raw === undefined) return undefined;
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt <= this.now()) {
      this.cache.delete(token);
      return undefined;
    }
    return session;
  }

  revoke(token: string): boolean {
    return this.cache.delete(token);
  }
}
