/**
 * The CLI: wiring only. Each command lives in ./commands/ and returns its exit code; errors that
 * patchloop raised on purpose print one line and map to their exit code.
 */
import { Command, CommanderError } from 'commander';
import { PatchloopError } from '../errors.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { registerRun } from './commands/run.ts';
import { registerDemo } from './commands/demo.ts';
import { registerResume } from './commands/resume.ts';
import { registerHistory } from './commands/history.ts';
import { registerApply } from './commands/apply.ts';
import { registerTools } from './commands/tools.ts';
import { registerCost } from './commands/cost.ts';
import { registerBatch } from './commands/batch.ts';
import { registerEval } from './commands/eval.ts';
import { registerTasks } from './commands/tasks.ts';
import { registerIssue } from './commands/issue.ts';
import { registerCiFix } from './commands/ci-fix.ts';
import { registerServe, registerWorker } from './commands/serve.ts';
import { registerKeys } from './commands/keys.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** stderr is a terminal and `CI` is unset: draw the live view and colours. */
  isTTY: boolean;
  /** Where the live view draws (stderr). */
  errStream: NodeJS.WritableStream;
}

export const defaultIo = (): CliIo => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY) && !process.env['CI'],
  errStream: process.stderr,
});

/** A command's action: returns the exit code. */
export type Action = (...args: any[]) => Promise<number>;

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('patchloop')
    .description('An agentic coding loop with sandboxed execution: plan, edit by symbol, validate, test, repair under a budget.')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const wrap = (action: Action) => async (...args: unknown[]) => setExit(await action(...args));
  registerRun(program, io, wrap);
  registerDemo(program, io, wrap);
  registerResume(program, io, wrap);
  registerHistory(program, io, wrap);
  registerApply(program, io, wrap);
  registerTools(program, io, wrap);
  registerCost(program, io, wrap);
  registerBatch(program, io, wrap);
  registerEval(program, io, wrap);
  registerTasks(program, io, wrap);
  registerIssue(program, io, wrap);
  registerCiFix(program, io, wrap);
  registerServe(program, io, wrap);
  registerWorker(program, io, wrap);
  registerKeys(program, io, wrap);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let code: number = EXIT.resolved;
  const program = buildProgram(io, (c) => (code = c));
  try {
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
