/** What every command gets from the CLI: its output streams and environment, and the action wrapper. */

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

/** Turns an action into a commander handler that records its exit code. */
export type Wrap = (a: Action) => (...args: unknown[]) => Promise<void>;

/** The signature every `src/cli/commands/<x>.ts` exports as `register<X>`. */
export type Register = (program: import('commander').Command, io: CliIo, wrap: Wrap) => void;
