/**
 * `patchloop keys create|list|revoke`: the API keys of `patchloop serve`, kept (hashed) in the
 * service's state folder. A new key's token is printed once, on stdout; it cannot be shown again.
 */
import type { Command } from 'commander';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { parsePositiveInt, parsePositiveNumber } from '../wiring.ts';
import { UsageError } from '../../errors.ts';
import { openState } from '../../service/server.ts';
import { defaultStateDir } from './serve.ts';

export function registerKeys(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  const keys = program.command('keys').description('API keys of patchloop serve');
  const withState = <T>(state: string, f: (s: ReturnType<typeof openState>) => T): T => {
    const s = openState(state);
    try {
      return f(s);
    } finally {
      s.close();
    }
  };
  keys
    .command('create <name>')
    .description('create a key; its token is printed once')
    .option('--state <dir>', 'the service state folder', defaultStateDir())
    .option('--daily-usd <usd>', "daily USD cap of the key's runs (UTC days)")
    .option('--concurrency <n>', 'runs queued or running at once', '4')
    .option('--json', 'print { name, id, token } as JSON')
    .action(
      wrap(async (name: string, flags: { state: string; dailyUsd?: string; concurrency: string; json?: boolean }) => {
        const created = withState(flags.state, (s) =>
          s.keys.create(name, { concurrency: parsePositiveInt(flags.concurrency, '--concurrency'), ...(flags.dailyUsd ? { dailyUsd: parsePositiveNumber(flags.dailyUsd, '--daily-usd') } : {}) }),
        );
        if (flags.json) io.out(JSON.stringify({ name, id: created.key.id, token: created.token }) + '\n');
        else {
          io.out(`${created.token}\n`);
          io.err(`key "${name}" created (id ${created.key.id}); the token above is shown once — store it now\n`);
        }
        return EXIT.resolved;
      }),
    );
  keys
    .command('list')
    .description('list keys (never their tokens)')
    .option('--state <dir>', 'the service state folder', defaultStateDir())
    .action(
      wrap(async (flags: { state: string }) => {
        for (const k of withState(flags.state, (s) => s.keys.list())) {
          io.out(`${k.name}\t${k.id}\tconcurrency ${k.concurrency}\tdaily ${k.dailyUsd !== undefined ? `$${k.dailyUsd}` : 'uncapped'}${k.revoked ? '\trevoked' : ''}\n`);
        }
        return EXIT.resolved;
      }),
    );
  keys
    .command('revoke <name>')
    .description('revoke a key: its requests get 403 from now on')
    .option('--state <dir>', 'the service state folder', defaultStateDir())
    .action(
      wrap(async (name: string, flags: { state: string }) => {
        if (!withState(flags.state, (s) => s.keys.revoke(name))) throw new UsageError('unknown_key', `no key named "${name}": see patchloop keys list`);
        io.err(`key "${name}" revoked\n`);
        return EXIT.resolved;
      }),
    );
}
