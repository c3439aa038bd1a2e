/**
 * The embedded deployment's durable job store: one SQLite file (`<state>/service.sqlite`, WAL) that
 * holds every job submitted to `patchloop serve`, claimed by local workers with an atomic UPDATE.
 * A job left `running` by a process that died is put back in the queue at start-up and resumed from
 * its run's snapshot (src/run/resume.ts), so a restart loses nothing and repeats no paid reply.
 */
import Database from 'better-sqlite3';
import type { RunSummary } from '../run/run-task.ts';
import type { RunRequest } from './run-request.ts';

/** A job's lifecycle: queued → running → a run's final status (`resolved`, …), `interrupted` (cancelled, resumable) or `error` (refused before the loop started). */
export type JobStatus = 'queued' | 'running' | RunSummary['status'] | 'error';

export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'running'];
export const isTerminal = (s: JobStatus) => !ACTIVE_STATUSES.includes(s);

export interface JobRecord {
  id: string;
  /** API key that submitted the job (its id, not the secret). */
  keyId: string;
  status: JobStatus;
  request: RunRequest;
  /** The run's summary once it ended (src/run/run-task.ts). */
  summary?: RunSummary;
  /** One line, when status is `error`. */
  error?: string;
  /** How many times a worker took the job (> 1 after a crash or a resume). */
  attempts: number;
  cancelRequested: boolean;
  /** ms since epoch. */
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** Worker holding the job while it runs. */
  owner?: string;
}

interface Row {
  id: string; key_id: string; status: string; request: string; summary: string | null; error: string | null; attempts: number;
  cancel_requested: number; created_at: number; started_at: number | null; ended_at: number | null; owner: string | null;
}

const fromRow = (r: Row): JobRecord => ({
  id: r.id, keyId: r.key_id, status: r.status as JobStatus, request: JSON.parse(r.request) as RunRequest, attempts: r.attempts,
  cancelRequested: r.cancel_requested === 1, createdAt: r.created_at,
  ...(r.summary ? { summary: JSON.parse(r.summary) as RunSummary } : {}), ...(r.error ? { error: r.error } : {}),
  ...(r.started_at !== null ? { startedAt: r.started_at } : {}), ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.owner ? { owner: r.owner } : {}),
});

/** Opens (creating) the store. `db` is shared with the key store (src/service/keys.ts). */
export class JobStore {
  constructor(private readonly db: Database.Database, private readonly now: () => number = Date.now) {
    db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY, key_id TEXT NOT NULL, status TEXT NOT NULL, request TEXT NOT NULL, summary TEXT, error TEXT,
      attempts INTEGER NOT NULL DEFAULT 0, cancel_requested INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER, owner TEXT);
      CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, created_at);
      CREATE INDEX IF NOT EXISTS jobs_key ON jobs(key_id, status);`);
  }

  insert(id: string, keyId: string, request: RunRequest): JobRecord {
    this.db.prepare('INSERT INTO jobs (id, key_id, status, request, created_at) VALUES (?,?,?,?,?)').run(id, keyId, 'queued', JSON.stringify(request), this.now());
    return this.get(id)!;
  }

  get(id: string): JobRecord | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  /** Newest first; `status` filters, `keyId` restricts to one key's jobs (or to those of any key listed). */
  list(o: { status?: string; keyId?: string | readonly string[]; limit: number }): JobRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.status) (where.push('status = ?'), args.push(o.status));
    const keys = typeof o.keyId === 'string' ? [o.keyId] : (o.keyId ?? []);
    if (keys.length) (where.push(`key_id IN (${keys.map(() => '?').join(',')})`), args.push(...keys));
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, o.limit) as Row[]).map(fromRow);
  }

  /** Jobs of a key that are queued or running (its concurrency). */
  activeCount(keyId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE key_id = ? AND status IN ('queued','running')").get(keyId) as { n: number }).n;
  }

  /** Queue depth and the age (ms) of the oldest queued job, for /metrics. */
  queueStats(): { depth: number; oldestAgeMs: number; running: number } {
    const q = this.db.prepare("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs WHERE status = 'queued'").get() as { n: number; oldest: number | null };
    const r = this.db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").get() as { n: number };
    return { depth: q.n, oldestAgeMs: q.oldest === null ? 0 : Math.max(0, this.now() - q.oldest), running: r.n };
  }

  /** Atomically takes the oldest queued job for `owner`; undefined when the queue is empty. */
  claim(owner: string): JobRecord | undefined {
    const r = this.db
      .prepare(`UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, started_at = COALESCE(started_at, ?)
        WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1) AND status = 'queued' RETURNING *`)
      .get(owner, this.now()) as Row | undefined;
    return r && fromRow(r);
  }

  /** Records the end of a job. Only its current owner may finish it (a stale worker cannot overwrite). */
  finish(id: string, owner: string, status: JobStatus, result: { summary?: RunSummary; error?: string }): boolean {
    const res = this.db
      .prepare("UPDATE jobs SET status = ?, summary = ?, error = ?, ended_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status IN ('queued','running')")
      .run(status, result.summary ? JSON.stringify(result.summary) : null, result.error ?? null, this.now(), id, owner);
    return res.changes === 1;
  }

  /** Redis deployment: the BullMQ job id that carries this job (the owner a completion must match). */
  setOwner(id: string, owner: string): void {
    this.db.prepare('UPDATE jobs SET owner = ? WHERE id = ?').run(owner, id);
  }

  /** Redis deployment: a worker took the job (BullMQ `active`); a redelivery after a crash counts again. */
  markRunning(id: string, owner: string): void {
    this.db
      .prepare("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, ?) WHERE id = ? AND owner = ? AND status IN ('queued','running')")
      .run(this.now(), id, owner);
  }

  /** Gives a running job back to the queue (its worker is shutting down); it resumes from its snapshot. */
  release(id: string, owner: string): boolean {
    return this.db.prepare("UPDATE jobs SET status = 'queued', owner = NULL WHERE id = ? AND owner = ? AND status = 'running'").run(id, owner).changes === 1;
  }

  /** Asks a job to stop after its current step; a queued job is ended at once. @returns the job after the change. */
  requestCancel(id: string): JobRecord | undefined {
    this.db.prepare("UPDATE jobs SET status = 'interrupted', ended_at = ?, cancel_requested = 1 WHERE id = ? AND status = 'queued'").run(this.now(), id);
    this.db.prepare("UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'").run(id);
    return this.get(id);
  }

  /** Puts an interrupted job back in the queue; it resumes from its snapshot. @returns false when it is not interrupted. */
  requeueInterrupted(id: string): boolean {
    return this.db.prepare("UPDATE jobs SET status = 'queued', cancel_requested = 0, ended_at = NULL WHERE id = ? AND status = 'interrupted'").run(id).changes === 1;
  }

  /** Start-up recovery: jobs left running by a dead process go back to the queue. @returns their ids. */
  requeueOrphans(): string[] {
    const rows = this.db.prepare("UPDATE jobs SET status = 'queued', owner = NULL WHERE status = 'running' RETURNING id").all() as { id: string }[];
    return rows.map((r) => r.id);
  }
}

/** Opens `<file>` with WAL and a busy timeout (several processes may read while one writes). */
export function openServiceDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
