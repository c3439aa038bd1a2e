/** Scratch copies of test/fixtures/github/repo with a local bare repository as `origin`, and an in-process CLI. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIo } from '../../src/cli/main.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/github', import.meta.url));
export const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
export const transcript = (name: string) => path.join(FIXTURES, 'transcripts', `${name}.jsonl`);
export const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

export interface Scratch {
  dir: string;
  repo: string;
  origin: string;
  attempts: string;
  stepSummary: string;
}

/** Fixture repo committed on `main`, pushed to a bare `origin` (file://), node_modules linked. */
export function scratchRepo(): Scratch {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-gh-'));
  const repo = path.join(dir, 'work');
  const origin = path.join(dir, 'origin.git');
  cpSync(path.join(FIXTURES, 'repo'), repo, { recursive: true });
  writeFileSync(path.join(repo, '.gitignore'), '/node_modules\n');
  git(dir, 'init', '--quiet', '--bare', '-b', 'main', origin);
  git(repo, 'init', '--quiet', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'base');
  git(repo, 'remote', 'add', 'origin', `file://${origin}`);
  git(repo, 'push', '--quiet', 'origin', 'main');
  symlinkSync(NODE_MODULES, path.join(repo, 'node_modules'), 'dir');
  return { dir, repo, origin, attempts: path.join(dir, 'attempts.json'), stepSummary: path.join(dir, 'step-summary.md') };
}

export interface CliResult { code: number; out: string; err: string }

/** Runs the CLI in this process with `env` as its whole environment view. */
export async function cli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env, isTTY: false, errStream: process.stderr };
  const code = await main(args, io);
  return { code, out, err };
}

/** Flags every loop run in these tests shares: replay, no validation pipeline, fast test command. */
export const LOOP_FLAGS = ['--test-cmd', 'npx vitest run', '--provider', 'replay', '--no-validate', '--max-iterations', '3', '--budget-tokens', '100000'];
