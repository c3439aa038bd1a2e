/** `patchloop validation-servers`: the warm validation servers of this user, and `--stop` to end them. */
import type { Command } from 'commander';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { openRepo } from '../../git/repo.ts';
import { listServers, stopServers } from '../../validate/server/admin.ts';
import type { ServerInfo } from '../../validate/server/protocol.ts';

export function registerServers(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('validation-servers')
    .description('list the warm validation servers (one per repository, gone after 10 min idle); --stop ends them')
    .option('--repo <dir>', "only this repository's (any of its worktrees)")
    .option('--stop', 'stop them (each removes its worktree first)')
    .option('--json', 'JSON output')
    .action(
      wrap(async (flags: { repo?: string; stop?: boolean; json?: boolean }) => {
        const commonDir = flags.repo ? (await openRepo(flags.repo)).commonDir : undefined;
        const which = (s: ServerInfo) => commonDir === undefined || s.commonDir === commonDir;
        const servers = flags.stop ? await stopServers(which) : (await listServers()).filter(which);
        if (flags.json) io.out(JSON.stringify(servers.map(({ socketPath: _s, ...s }) => s)) + '\n');
        else if (servers.length === 0) io.out('no validation server is running\n');
        else {
          for (const s of servers) {
            const state = flags.stop ? 'stopped' : s.busy ? 'busy' : 'idle';
            io.out(`${String(s.pid).padStart(7)}  ${state.padEnd(7)}  ${s.repoRoot} @ ${s.baseSha.slice(0, 12)}  ${s.runsServed} run(s) served since ${s.startedAt}\n`);
          }
        }
        return EXIT.resolved;
      }),
    );
}
