/**
 * `npx <bin> …` → `node_modules/.bin/<bin> …` when the project has that bin: the program npx would
 * pick anyway (a local bin wins, and the sandbox has no network to fetch another), without npm's own
 * start-up. Measured 2026-12-02 on the 2-core machine (loaded): a one-test vitest run took 4.7–6.0 s
 * through npx and 2.5–4.0 s direct; the demo and eval run such a command several times per task.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** `npx` then a plain bin name (no flags, no `pkg@version`, which npx treats as a package spec), at the start of a shell segment. */
const NPX_BIN = /(^|&&|\|\||;|\|)(\s*)npx\s+([A-Za-z0-9][\w.-]*)(?=\s|$)/g;

/**
 * @param cmd a shell command line (the test command)
 * @param cwd the directory it runs in (holds node_modules/)
 * @param exists file check, injectable for tests
 * @returns `cmd` with each rewritable `npx <bin>` segment start pointing at the local bin
 */
export function preferLocalBin(cmd: string, cwd: string, exists: (p: string) => boolean = existsSync): string {
  return cmd.replace(NPX_BIN, (whole, sep: string, ws: string, bin: string) =>
    exists(path.join(cwd, 'node_modules', '.bin', bin)) ? `${sep}${ws}node_modules/.bin/${bin}` : whole);
}
