/** `patchloop demo`: resolves the shipped tasks offline with the replay provider and prints a table. */
import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { buildRunDeps, parsePositiveInt } from '../wiring.ts';
import { loadTasks } from '../../eval/instance.ts';
import { runInstance, type InstanceResult } from '../../eval/run-instance.ts';
import { runSet } from '../../eval/run-set.ts';
import { ReplayProvider } from '../../model/replay.ts';
import { totalInput } from '../../model/types.ts';

/** patchloop's own node_modules: the shipped tasks run with it (no per-task install). */
export const PATCHLOOP_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

export function formatResultRow(r: InstanceResult): string {
  const tokens = totalInput(r.usage) + r.usage.outputTokens;
  return [
    r.id.padEnd(34), (r.resolved ? 'yes' : 'NO').padEnd(9), String(r.iterations).padStart(5), String(tokens).padStart(9),
    `$${r.usd.toFixed(4)}`.padStart(9), `${(r.wallMs / 1000).toFixed(1)} s`.padStart(8), r.resolved ? '' : `  ${r.status}${r.reason ? `: ${r.reason}` : ''}`,
  ].join(' ');
}

export const RESULT_HEADER = `${'task'.padEnd(34)} ${'resolved'.padEnd(9)} ${'iter'.padStart(5)} ${'tokens'.padStart(9)} ${'cost'.padStart(9)} ${'wall'.padStart(8)}`;

export function registerDemo(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('demo')
    .description('resolve the shipped tasks offline (replay provider) and print a summary table')
    .option('--tasks <dir>', 'task folder', 'tasks')
    .option('--only <id|prefix|category>', 'run a subset')
    .option('--concurrency <n>', 'tasks run at once', '2')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .action(
      wrap(async (flags: { tasks: string; only?: string; concurrency: string; sandbox: string }) => {
        const instances = loadTasks(path.resolve(flags.tasks), flags.only);
        const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: true, io, quiet: true });
        // The traces outlive the tasks' scratch repositories (removed after scoring): one folder, printed at the end.
        const runsDir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-demo-runs-'));
        io.out(`${RESULT_HEADER}\n`);
        const results = await runSet(instances, parsePositiveInt(flags.concurrency, '--concurrency'), async (inst) =>
          runInstance(inst, {
            provider: await ReplayProvider.fromFile(path.join(inst.dir, 'transcript.jsonl')),
            sandbox: deps.sandbox, nodeModules: PATCHLOOP_NODE_MODULES, runDeps: deps, runsDir,
          }), (r) => io.out(formatResultRow(r) + '\n'));
        const resolved = results.filter((r) => r.resolved).length;
        const usd = results.reduce((s, r) => s + r.usd, 0);
        io.out(`\n${resolved}/${results.length} resolved · $${usd.toFixed(4)} total (replay: priced as ${results.length ? 'claude-sonnet-5-5' : '-'})\ntraces: ${runsDir}\n`);
        return resolved === results.length ? EXIT.resolved : EXIT.notResolved;
      }),
    );
}
