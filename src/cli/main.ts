/**
 * The CLI: wiring only. Errors patchloop raised on purpose print one line and map to their exit code.
 *
 * Lazy commands (why `patchloop --help` answers in ~100 ms instead of seconds): COMMANDS is the
 * cheap table — each top-level name, its one-line summary for `--help`, and a loader. Only the
 * invoked command's module is imported, so ts-morph, ESLint, the SDKs and Octokit load only for
 * the commands that use them. To add a command:
 *   1. write `src/cli/commands/<x>.ts` exporting `register<X>(program, io, wrap)` (type `Register`
 *      in ./io.ts); it may import whatever it needs — it loads only when `<x>` runs;
 *   2. add a row here: `'<x>': { summary: '<same text as its .description()>', load: async () => (await import('./commands/<x>.ts')).register<X> }`.
 * test/cli/lazy-commands.test.ts checks each row's summary against the module's description and
 * that `--help` loads no command module (and `runs`/`show` none of the heavy packages).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PatchloopError } from '../errors.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { defaultIo, type Action, type CliIo, type Register, type Wrap } from './io.ts';

export { defaultIo, type Action, type CliIo, type Register, type Wrap };

interface CommandRow {
  /** One line for the top-level `--help`; equal to the command's own `.description()`. */
  summary: string;
  /** Imports the module that registers this command (and maybe siblings that share it). */
  load: () => Promise<Register>;
}

export const COMMANDS: Record<string, CommandRow> = {
  run: { summary: 'resolve one task in a git working copy: plan, edit, validate, test in the sandbox, repair; commit on a new branch', load: async () => (await import('./commands/run.ts')).registerRun },
  demo: { summary: 'resolve the shipped tasks offline (replay provider) and print a summary table', load: async () => (await import('./commands/demo.ts')).registerDemo },
  resume: { summary: 'continue a stopped or killed run; paid replies and applied edits are not repeated', load: async () => (await import('./commands/resume.ts')).registerResume },
  runs: { summary: 'list recent runs: id, task, status, iterations, tokens, USD, wall time', load: async () => (await import('./commands/history.ts')).registerHistory },
  show: { summary: "print a run's trajectory step by step: prompts, tool calls, diffs, findings, tests, tokens, cost", load: async () => (await import('./commands/history.ts')).registerHistory },
  apply: { summary: "bring a run's patch onto your current branch (refuses if it does not apply cleanly or touches files you changed)", load: async () => (await import('./commands/apply.ts')).registerApply },
  discard: { summary: "remove a run's worktree and branch (its trace stays)", load: async () => (await import('./commands/apply.ts')).registerApply },
  doctor: { summary: 'check Node, git, the sandbox, isolated-vm, keys, config and prices; PASS / WARN / FAIL with the fix', load: async () => (await import('./commands/tools.ts')).registerTools },
  init: { summary: 'write a commented .patchloop.json for this repository (test command, package manager, model chain, budgets)', load: async () => (await import('./commands/tools.ts')).registerTools },
  sandbox: { summary: 'the sandbox on its own', load: async () => (await import('./commands/tools.ts')).registerTools },
  validate: { summary: "run the validation pipeline on the working tree's changes against a ref; exit 1 on an error finding", load: async () => (await import('./commands/tools.ts')).registerTools },
  cost: { summary: 'spend by day and model from the local ledger (PATCHLOOP_LEDGER or ~/.patchloop/ledger.sqlite)', load: async () => (await import('./commands/cost.ts')).registerCost },
  batch: { summary: "send every task's first turn through Anthropic Message Batches (50% price), then continue each loop live", load: async () => (await import('./commands/batch.ts')).registerBatch },
  eval: { summary: 'run the gold set and score it: results.jsonl, report.md, report.html; exit 1 when resolved (a) is below --threshold', load: async () => (await import('./commands/eval.ts')).registerEval },
  tasks: { summary: 'work with the gold-set tasks', load: async () => (await import('./commands/tasks.ts')).registerTasks },
  issue: { summary: 'resolve a GitHub issue (owner/repo#123, an issue URL or a local issue.md) and open or update its pull request', load: async () => (await import('./commands/issue.ts')).registerIssue },
  'ci-fix': { summary: 'fix the tests that failed in CI and open a pull request against the failing branch', load: async () => (await import('./commands/ci-fix.ts')).registerCiFix },
  localize: { summary: 'rank the files and symbols a task most likely involves (no model call)', load: async () => (await import('./commands/localize.ts')).registerLocalize },
  serve: { summary: 'run the HTTP API and workers (embedded SQLite queue, or BullMQ with --redis)', load: async () => (await import('./commands/serve.ts')).registerServe },
  worker: { summary: 'take jobs from the BullMQ queue of `patchloop serve --redis` (same --state and --repos-root as the server)', load: async () => (await import('./commands/serve.ts')).registerWorker },
  'validation-servers': { summary: 'list the warm validation servers (one per repository, gone after 10 min idle); --stop ends them', load: async () => (await import('./commands/servers.ts')).registerServers },
  keys: { summary: 'API keys of patchloop serve', load: async () => (await import('./commands/keys.ts')).registerKeys },
};

/** The package version (package.json beside src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The command `argv` invokes (`help <x>` counts as `<x>`), or undefined for `--help`, `--version`, nothing. */
export function invokedCommand(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/**
 * The program with every command's real definition when `argv` is omitted (tests read options),
 * else with only the invoked command's module loaded and one-line stand-ins for the others.
 */
export async function buildProgram(io: CliIo, setExit: (code: number) => void, argv?: string[]): Promise<Command> {
  const program = new Command('patchloop')
    .description('An agentic coding loop with sandboxed execution: plan, edit by symbol, validate, test, repair under a budget.')
    .version(VERSION, '-V, --version', 'print the version')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const wrap: Wrap = (action: Action) => async (...args: unknown[]) => setExit(await action(...args));
  const invoked = argv ? invokedCommand(argv) : undefined;
  const loaders = new Set(argv ? (invoked ? [COMMANDS[invoked]!.load] : []) : Object.values(COMMANDS).map((c) => c.load));
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (!registered.has(register)) register(program, io, wrap);
    registered.add(register);
  }
  const defined = new Set(program.commands.map((c) => c.name()));
  for (const [name, row] of Object.entries(COMMANDS)) if (!defined.has(name)) program.command(name).description(row.summary);
  // Keep --help in the table's order whichever module loaded first.
  const order = Object.keys(COMMANDS);
  (program.commands as Command[]).sort((a, b) => order.indexOf(a.name()) - order.indexOf(b.name()));
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let code: number = EXIT.resolved;
  try {
    const program = await buildProgram(io, (c) => (code = c), argv);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.usage;
    if (err instanceof PatchloopError) {
      io.err(`patchloop: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`patchloop: unexpected error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return EXIT.notResolved;
  }
  return code;
}
