/**
 * API keys of `patchloop serve`. A key reads `pl_<id>_<secret>`; only the SHA-256 of the secret is
 * stored, and it is compared with `crypto.timingSafeEqual` so response time says nothing about how
 * much of a guess was right. The secret is shown once, by `patchloop keys create`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { UsageError } from '../errors.ts';

export interface ApiKey {
  id: string;
  name: string;
  /** Daily spending cap in USD (UTC days), or undefined for none. */
  dailyUsd?: number;
  /** Most jobs queued or running at once for this key. */
  concurrency: number;
  revoked: boolean;
  createdAt: number;
}

/** Default concurrency of a key created without `--concurrency`. */
export const DEFAULT_KEY_CONCURRENCY = 4;

const KEY_RE = /^pl_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

interface Row { id: string; name: string; secret_sha256: Buffer; daily_usd: number | null; concurrency: number; revoked: number; created_at: number }
const fromRow = (r: Row): ApiKey => ({ id: r.id, name: r.name, concurrency: r.concurrency, revoked: r.revoked === 1, createdAt: r.created_at, ...(r.daily_usd !== null ? { dailyUsd: r.daily_usd } : {}) });

/** Why a bearer token was not accepted: `missing` / `malformed` / `unknown` → 401, `revoked` → 403. */
export type KeyRefusal = 'missing' | 'malformed' | 'unknown' | 'revoked';

export class KeyStore {
  constructor(private readonly db: Database.Database, private readonly now: () => number = Date.now) {
    db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, secret_sha256 BLOB NOT NULL, daily_usd REAL, concurrency INTEGER NOT NULL,
      revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)`);
  }

  /**
   * Creates a key. @returns the key and its token (shown once; only its hash is kept).
   * @throws UsageError `bad_key_name` / `key_exists` / `bad_number`.
   */
  create(name: string, o: { dailyUsd?: number; concurrency?: number } = {}): { key: ApiKey; token: string } {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new UsageError('bad_key_name', `key name "${name}": use 1-64 letters, digits, ".", "_" or "-"`);
    if (this.db.prepare('SELECT 1 FROM api_keys WHERE name = ?').get(name)) throw new UsageError('key_exists', `a key named "${name}" exists: pick another name or revoke it first (patchloop keys revoke ${name})`);
    const concurrency = o.concurrency ?? DEFAULT_KEY_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('bad_number', `--concurrency ${concurrency}: expected a positive whole number`);
    if (o.dailyUsd !== undefined && !(o.dailyUsd > 0)) throw new UsageError('bad_number', `--daily-usd ${o.dailyUsd}: expected a positive number`);
    const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12).padEnd(12, '0');
    const secret = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT INTO api_keys (id, name, secret_sha256, daily_usd, concurrency, created_at) VALUES (?,?,?,?,?,?)').run(id, name, sha256(secret), o.dailyUsd ?? null, concurrency, this.now());
    return { key: this.byId(id)!, token: `pl_${id}_${secret}` };
  }

  byId(id: string): ApiKey | undefined {
    const r = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  list(): ApiKey[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at').all() as Row[]).map(fromRow);
  }

  /** @returns false when no such key. */
  revoke(name: string): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked = 1 WHERE name = ?').run(name).changes === 1;
  }

  /** Checks an `Authorization` header value. */
  verify(header: string | undefined): { ok: true; key: ApiKey } | { ok: false; refusal: KeyRefusal } {
    if (!header) return { ok: false, refusal: 'missing' };
    const m = /^Bearer (\S+)$/.exec(header);
    const parts = m ? KEY_RE.exec(m[1]!) : null;
    if (!parts) return { ok: false, refusal: 'malformed' };
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(parts[1]) as Row | undefined;
    // Hash and compare even for an unknown id, so both paths take the same time.
    const expected = row?.secret_sha256 ?? Buffer.alloc(32);
    const same = timingSafeEqual(sha256(parts[2]!), expected);
    if (!row || !same) return { ok: false, refusal: 'unknown' };
    if (row.revoked === 1) return { ok: false, refusal: 'revoked' };
    return { ok: true, key: fromRow(row) };
  }
}
