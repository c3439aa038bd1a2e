import type { SessionBackend } from "./backend";
import type { Clock } from "./clock";
import { newToken } from "./token";

export interface Session {
  token: string;
  userId: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch; the session is dead from this instant on. */
  expiresAt: number;
}

export interface SessionStoreOptions {
  /** Idle lifetime in seconds; every `touch` starts it again. Default 30 minutes. */
  ttlSeconds?: number;
}

export const DEFAULT_TTL_SECONDS = 30 * 60;

export class SessionStore {
  private readonly ttlSeconds: number;

  constructor(
    private readonly backend: SessionBackend,
    private readonly clock: Clock,
    options: SessionStoreOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  }

  async create(userId: string): Promise<Session> {
    const now = this.clock.now();
    const session: Session = {
      token: newToken(),
      userId,
      createdAt: now,
      expiresAt: this.expiry(now),
    };
    await this.backend.set(session.token, session);
    return session;
  }

  /** The live session for `token`; undefined when unknown or expired (expired ones are removed). */
  async get(token: string): Promise<Session | undefined> {
    const session = await this.backend.get(token);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      await this.backend.delete(token);
      return undefined;
    }
    return session;
  }

  /** Restarts a live session's idle lifetime; false when the session is gone. */
  async touch(token: string): Promise<boolean> {
    const session = await this.get(token);
    if (!session) return false;
    await this.backend.set(token, { ...session, expiresAt: this.expiry(this.clock.now()) });
    return true;
  }

  /** Logs one session out. Resolves once the backend has forgotten it. */
  async revoke(token: string): Promise<void> {
    this.backend.delete(token);
  }

  /** Logs a user out everywhere (e.g. after a password change); returns how many sessions ended. */
  async revokeAllForUser(userId: string): Promise<number> {
    let ended = 0;
    for (const token of await this.backend.tokens()) {
      const session = await this.backend.get(token);
      if (session?.userId === userId) {
        await this.backend.delete(token);
        ended++;
      }
    }
    return ended;
  }

  private expiry(now: number): number {
    return now + this.ttlSeconds;
  }
}
