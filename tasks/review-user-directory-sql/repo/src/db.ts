/** The slice of a SQL client the repositories depend on (placeholders are `?`). */
export interface Db {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

export interface RecordedCall {
  sql: string;
  params: readonly unknown[];
}

/** In-memory stand-in for tests: records every statement and answers from queues. */
export class RecordingDb implements Db {
  readonly calls: RecordedCall[] = [];
  private readonly rows: unknown[][] = [];
  private readonly changes: number[] = [];
  private failure: Error | undefined;

  enqueueRows(rows: unknown[]): void {
    this.rows.push(rows);
  }

  enqueueChanges(count: number): void {
    this.changes.push(count);
  }

  failNext(error: Error): void {
    this.failure = error;
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.record(sql, params);
    return (this.rows.shift() ?? []) as T[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.record(sql, params);
    return { changes: this.changes.shift() ?? 0 };
  }

  private record(sql: string, params: readonly unknown[]): void {
    this.calls.push({ sql, params });
    if (this.failure) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
  }
}
