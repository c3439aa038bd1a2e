/**
 * Start-up stays cheap: `--help` and `--version` load no command module, `runs` and `show` load none
 * of the loop's heavy packages (observed through a Node module hook in the real executable), and
 * the command table's one-line summaries are the commands' own descriptions.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { PATCHLOOP_BIN, REPO_ROOT } from '../support/cli.ts';
import { COMMANDS, defaultIo, invokedCommand } from '../../src/cli/main.ts';

const HEAVY = ['ts-morph', 'typescript', 'eslint', '@anthropic-ai', 'openai', '@octokit', 'playwright-core', 'xstate', 'isolated-vm', 'prettier', 'better-sqlite3'];

/** Runs the bin with a resolve hook that logs every module URL; returns the URLs and the result. */
function loadedBy(args: string[]): { urls: string[]; code: number | null; stdout: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-hook-'));
  const log = path.join(dir, 'urls.log');
  writeFileSync(path.join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, PATCHLOOP_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { urls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [], code: r.status, stdout: r.stdout };
}

describe('lazy commands', () => {
  it('--help lists every command and loads no command module', () => {
    const r = loadedBy(['--help']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.urls.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true); // the hook saw the CLI load
    expect(r.urls.filter((u) => u.includes('/cli/commands/'))).toEqual([]);
  });

  it('--version prints package.json version and loads no command module', () => {
    const r = loadedBy(['--version']);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(r.urls.filter((u) => u.includes('/cli/commands/'))).toEqual([]);
  });

  it.each([['runs'], ['show', 'no-such-run']])('%s loads none of the heavy packages', (...args) => {
    const r = loadedBy(args);
    expect(r.urls.some((u) => u.includes('/cli/commands/history.js'))).toBe(true);
    const heavy = r.urls.filter((u) => HEAVY.some((p) => u.includes(`/node_modules/${p}/`)));
    expect(heavy).toEqual([]);
  });

  it("each row's summary is its command's own description", async () => {
    for (const [name, row] of Object.entries(COMMANDS)) {
      const program = new Command();
      (await row.load())(program, defaultIo(), () => async () => {});
      const cmd = program.commands.find((c) => c.name() === name);
      expect(cmd?.description(), name).toBe(row.summary);
    }
  });

  it('finds the invoked command past options and `help`', () => {
    expect(invokedCommand(['--json', 'runs'])).toBe('runs');
    expect(invokedCommand(['help', 'ci-fix'])).toBe('ci-fix');
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['nope'])).toBeUndefined();
  });
});
