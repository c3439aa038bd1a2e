/**
 * Cost ledger: every priced model call, persisted in SQLite (better-sqlite3) so a daily USD cap
 * holds across runs and processes. Days are UTC calendar days (`YYYY-MM-DD`).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { BudgetError, EnvironmentError } from '../errors.ts';
import type { Usage } from '../model/types.ts';

/** Default ledger location: `~/.patchloop/ledger.sqlite`. */
export function defaultLedgerPath(home: string = homedir()): string {
  return join(home, '.patchloop', 'ledger.sqlite');
}

/** UTC day (`YYYY-MM-DD`) of a time in ms since epoch. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface LedgerEntry {
  runId: string;
  /** UTC day; default: the day of `now()`. */
  day?: string;
  model: string;
  usage: Usage;
  /** Cost of the call in USD. */
  usd: number;
}

export interface DaySummary {
  day: string;
  usd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * Opens (creating when needed) the ledger at `path` (`:memory:` for tests).
 * @throws EnvironmentError `ledger_unavailable` when the file cannot be opened or created.
 */
export class CostLedger {
  private readonly db: Database.Database;
  private readonly now: () => number;

  constructor(opts: { path?: string; now?: () => number } = {}) {
    const path = opts.path ?? defaultLedgerPath();
    this.now = opts.now ?? Date.now;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL'); // concurrent runs read while one writes
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS spend (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, day TEXT NOT NULL, model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
        usd REAL NOT NULL, at_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS spend_day ON spend(day);`);
    } catch (err) {
      throw new EnvironmentError('ledger_unavailable', `cannot open the cost ledger at ${path}: ${(err as Error).message}; pass another --ledger path`, err);
    }
  }

  /** Appends one call. @throws BudgetError `bad_ledger_entry` for a negative or non-finite cost. */
  record(e: LedgerEntry): void {
    if (!Number.isFinite(e.usd) || e.usd < 0) throw new BudgetError('bad_ledger_entry', `ledger: cost must be a non-negative number of USD, got ${e.usd}`);
    const at = this.now();
    this.db
      .prepare('INSERT INTO spend (run_id, day, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usd, at_ms) VALUES (?,?,?,?,?,?,?,?,?)')
      .run(e.runId, e.day ?? utcDay(at), e.model, e.usage.inputTokens, e.usage.outputTokens, e.usage.cacheReadTokens, e.usage.cacheWriteTokens, e.usd, at);
  }

  /** Totals per UTC day, newest first. */
  byDay(): DaySummary[] {
    return this.db
      .prepare(`SELECT day, SUM(usd) AS usd, COUNT(*) AS calls, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
        SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens FROM spend GROUP BY day ORDER BY day DESC`)
      .all() as DaySummary[];
  }

  /** Totals per UTC day and model, newest day first (for `patchloop cost`). */
  byDayAndModel(): (DaySummary & { model: string; runs: number })[] {
    return this.db
      .prepare(`SELECT day, model, SUM(usd) AS usd, COUNT(*) AS calls, COUNT(DISTINCT run_id) AS runs, SUM(input_tokens) AS inputTokens,
        SUM(output_tokens) AS outputTokens, SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens
        FROM spend GROUP BY day, model ORDER BY day DESC, model`)
      .all() as (DaySummary & { model: string; runs: number })[];
  }

  /** USD spent on a UTC day. */
  spentOn(day: string): number {
    const row = this.db.prepare('SELECT COALESCE(SUM(usd), 0) AS usd FROM spend WHERE day = ?').get(day) as { usd: number };
    return row.usd;
  }

  /**
   * Refuses work when today's spend (plus `nextUsd`, the estimated next call) reaches the cap.
   * @param capUsd daily cap in USD. @param nowMs clock (ms since epoch).
   * @throws BudgetError `daily_cap` (exit code 3) with the figures and the fix.
   */
  checkDailyCap(capUsd: number, nowMs: number = this.now(), nextUsd = 0): void {
    const day = utcDay(nowMs);
    const spent = this.spentOn(day);
    if (spent + nextUsd >= capUsd) {
      const next = nextUsd > 0 ? ` (+ ~$${nextUsd.toFixed(4)} for the next call)` : '';
      throw new BudgetError(
        'daily_cap',
        `daily cap reached: spent $${spent.toFixed(4)}${next} of $${capUsd.toFixed(2)} today (${day} UTC); raise --daily-budget-usd or wait until tomorrow`,
      );
    }
  }

  close(): void {
    this.db.close();
  }
}
