import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/budget/prices.ts';
import { CostLedger, defaultLedgerPath, utcDay } from '../../src/budget/ledger.ts';
import { BudgetError } from '../../src/errors.ts';

const usage = { inputTokens: 100_000, outputTokens: 50_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
const DAY1 = Date.parse('2026-11-28T10:00:00Z');
const DAY2 = Date.parse('2026-11-29T00:00:01Z');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('CostLedger', () => {
  it('records calls and sums them per UTC day', () => {
    let now = DAY1;
    const l = new CostLedger({ path: ':memory:', now: () => now });
    const usd = costUsd('claude-sonnet-5-5', usage); // 0.2 + 0.5
    l.record({ runId: 'r1', model: 'claude-sonnet-5-5', usage, usd });
    l.record({ runId: 'r2', model: 'claude-sonnet-5-5', usage, usd });
    now = DAY2;
    l.record({ runId: 'r3', model: 'gpt-5', usage, usd: 0.1 });
    const days = l.byDay();
    expect(days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-28']);
    expect(days[1]!.usd).toBeCloseTo(1.4);
    expect(days[1]).toMatchObject({ calls: 2, inputTokens: 200_000, outputTokens: 100_000 });
    l.close();
  });

  it('refuses work at the daily cap with the figures and the fix; a new day starts fresh', () => {
    const l = new CostLedger({ path: ':memory:', now: () => DAY1 });
    l.record({ runId: 'r1', model: 'm', usage, usd: 4.5 });
    expect(() => l.checkDailyCap(5, DAY1)).not.toThrow();
    let err: unknown;
    try {
      l.checkDailyCap(5, DAY1, 0.6);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BudgetError);
    expect(err).toMatchObject({ code: 'daily_cap', exitCode: 3 });
    expect((err as Error).message).toBe('daily cap reached: spent $4.5000 (+ ~$0.6000 for the next call) of $5.00 today (2026-11-28 UTC); raise --daily-budget-usd or wait until tomorrow');
    l.record({ runId: 'r1', model: 'm', usage, usd: 0.5 });
    expect(() => l.checkDailyCap(5, DAY1)).toThrow(/spent \$5\.0000 of \$5\.00 today/);
    expect(() => l.checkDailyCap(5, DAY2)).not.toThrow();
    l.close();
  });

  it('persists across opens of the same file (another process, same cap)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchloop-ledger-'));
    const path = join(dir, 'nested', 'ledger.sqlite');
    const a = new CostLedger({ path, now: () => DAY1 });
    a.record({ runId: 'r1', model: 'm', usage, usd: 3 });
    a.close();
    const b = new CostLedger({ path, now: () => DAY1 });
    expect(b.spentOn('2026-11-28')).toBe(3);
    expect(() => b.checkDailyCap(3)).toThrow(BudgetError);
    b.close();
  });

  it('rejects a negative cost and an unopenable path', async () => {
    const l = new CostLedger({ path: ':memory:' });
    expect(() => l.record({ runId: 'r', model: 'm', usage, usd: -1 })).toThrow(/non-negative/);
    l.close();
    dir = await mkdtemp(join(tmpdir(), 'patchloop-ledger-'));
    const file = join(dir, 'plain-file');
    await writeFile(file, 'x');
    // A directory path through a regular file: ENOTDIR.
    expect(() => new CostLedger({ path: join(file, 'sub', 'ledger.sqlite') })).toThrow(/^cannot open the cost ledger at .*plain-file\/sub\/ledger\.sqlite: .*; pass another --ledger path$/);
  });

  it('default path and UTC days', () => {
    expect(defaultLedgerPath('/home/u')).toBe('/home/u/.patchloop/ledger.sqlite');
    expect(utcDay(Date.parse('2026-11-28T23:59:59Z'))).toBe('2026-11-28');
  });
});
