import type { Session } from "./session-store";

/** Where sessions live (Redis in production). Every call is async and may reject. */
export interface SessionBackend {
  get(token: string): Promise<Session | undefined>;
  set(token: string, session: Session): Promise<void>;
  delete(token: string): Promise<void>;
  tokens(): Promise<string[]>;
}

/** In-process backend for tests and local dev; stores copies, like a real store would. */
export class MemoryBackend implements SessionBackend {
  private readonly data = new Map<string, Session>();

  async get(token: string): Promise<Session | undefined> {
    const session = this.data.get(token);
    return session && { ...session };
  }

  async set(token: string, session: Session): Promise<void> {
    this.data.set(token, { ...session });
  }

  async delete(token: string): Promise<void> {
    this.data.delete(token);
  }

  async tokens(): Promise<string[]> {
    return [...this.data.keys()];
  }
}
