/** `patchloop cost`: the local ledger by day and model, and today's position against a daily cap. */
import type { Command } from 'commander';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { openLedger } from '../spend.ts';
import { utcDay } from '../../budget/ledger.ts';
import { parsePositiveNumber } from '../wiring.ts';

export function registerCost(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('cost')
    .description('spend by day and model from the local ledger (PATCHLOOP_LEDGER or ~/.patchloop/ledger.sqlite)')
    .option('--daily-budget-usd <usd>', 'show today against this cap; exit 3 when it is reached')
    .option('--json', 'JSON output')
    .action(
      wrap(async (flags: { dailyBudgetUsd?: string; json?: boolean }) => {
        const ledger = openLedger(io.env);
        try {
          const days = ledger.byDayAndModel();
          const today = ledger.spentOn(utcDay(Date.now()));
          const cap = flags.dailyBudgetUsd ? parsePositiveNumber(flags.dailyBudgetUsd, '--daily-budget-usd') : undefined;
          if (flags.json) io.out(JSON.stringify({ days, today: { usd: today, cap: cap ?? null } }) + '\n');
          else {
            io.out(`${'day'.padEnd(11)} ${'model'.padEnd(22)} ${'runs'.padStart(5)} ${'calls'.padStart(6)} ${'input'.padStart(9)} ${'cache rd'.padStart(9)} ${'cache wr'.padStart(9)} ${'output'.padStart(8)} ${'USD'.padStart(9)}\n`);
            for (const d of days) {
              io.out(`${d.day.padEnd(11)} ${d.model.padEnd(22)} ${String(d.runs).padStart(5)} ${String(d.calls).padStart(6)} ${String(d.inputTokens).padStart(9)} ${String(d.cacheReadTokens).padStart(9)} ${String(d.cacheWriteTokens).padStart(9)} ${String(d.outputTokens).padStart(8)} ${d.usd.toFixed(4).padStart(9)}\n`);
            }
            io.out(`today: $${today.toFixed(4)}${cap !== undefined ? ` of $${cap.toFixed(2)} cap` : ''}\n`);
          }
          return cap !== undefined && today >= cap ? EXIT.budget : EXIT.resolved;
        } finally {
          ledger.close();
        }
      }),
    );
}
