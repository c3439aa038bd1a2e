/**
 * Per-branch daily attempt cap (default 3) so a failure that repeats cannot spend without end.
 * Stored as a small JSON file, by default `~/.patchloop/attempts.json`:
 * `{ "<UTC day>": { "<repo>@<branch>": <attempts> } }`; days other than today are dropped on write.
 * In GitHub Actions the action keeps `~/.patchloop` between runs with actions/cache.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { BudgetError } from '../errors.ts';
import { utcDay } from '../budget/ledger.ts';

export const DEFAULT_DAILY_ATTEMPTS = 3;

export function defaultAttemptsPath(home: string = homedir()): string {
  return path.join(home, '.patchloop', 'attempts.json');
}

type Store = Record<string, Record<string, number>>;

function load(file: string): Store {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Store) : {};
  } catch {
    return {}; // missing or unreadable: start over (the cap is a brake, not a ledger of money)
  }
}

/**
 * Records one attempt for `key` today, or refuses when the cap is reached.
 * @returns attempts today including this one.
 * @throws BudgetError `attempt_cap` (exit 3) when `cap` attempts were already made today.
 */
export function takeAttempt(o: { file: string; key: string; cap: number; now?: () => number }): number {
  const day = utcDay((o.now ?? Date.now)());
  const store = load(o.file);
  const used = store[day]?.[o.key] ?? 0;
  if (used >= o.cap) {
    throw new BudgetError('attempt_cap', `${o.key}: ${used} attempts today already (cap ${o.cap}, UTC day ${day}); patchloop stops here so a repeating failure cannot spend without end. Raise --max-attempts-per-day or wait for tomorrow.`);
  }
  const next: Store = { [day]: { ...(store[day] ?? {}), [o.key]: used + 1 } };
  mkdirSync(path.dirname(o.file), { recursive: true });
  const tmp = `${o.file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
  renameSync(tmp, o.file);
  return used + 1;
}
