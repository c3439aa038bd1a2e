/**
 * Start-up stays cheap: `--help` and `--version` load no command module, `runs` and `show` load none
 * of the loop's heavy packages, an Anthropic `run` none it does not use (observed through a Node
 * module hook in the real executable), and the command table's one-line summaries are the
 * commands' own descriptions.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { PATCHLOOP_BIN, REPO_ROOT } from '../support/cli.ts';
import { COMMANDS, defaultIo, invokedCommand } from '../../src/cli/main.ts';
import { startAnthropicServer } from '../support/anthropic-server.ts';
import { scratchRepo } from '../run/scratch-repo.ts';

const HEAVY = ['ts-morph', 'typescript', 'eslint', '@anthropic-ai', 'openai', '@octokit', 'playwright-core', 'xstate', 'isolated-vm', 'prettier', 'better-sqlite3'];

/** Writes a module hook that logs every ESM URL resolved and every CommonJS file loaded to `log`; returns the `--import` argument. */
function hookArgs(log: string): string[] {
  const dir = path.dirname(log);
  writeFileSync(path.join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  writeFileSync(path.join(dir, 'register.mjs'), [
    `import { register } from 'node:module';`,
    `import Module from 'node:module';`,
    `import { appendFileSync } from 'node:fs';`,
    `register(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});`,
    // require() does not pass through the resolve hook on Node 20: log each file it loads.
    `const load = Module.prototype.load;`,
    `Module.prototype.load = function (file) { appendFileSync(${JSON.stringify(log)}, 'file://' + file + '\\n'); return load.call(this, file); };`,
  ].join('\n'));
  return ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href];
}

/** Runs the bin with the module hook; returns the URLs and the result. */
function loadedBy(args: string[]): { urls: string[]; code: number | null; stdout: string } {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-hook-')), 'urls.log');
  const r = spawnSync(process.execPath, [...hookArgs(log), PATCHLOOP_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
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

  it('an Anthropic run (--json) that edits with str_replace loads the SDK, zod and diff bundled, and neither the OpenAI SDK, ts-morph, simple-git, log-update nor jsonc-parser', async () => {
    const repo = scratchRepo();
    const server = await startAnthropicServer({
      script: [
        { kind: 'message', content: [{ type: 'tool_use', id: 'toolu_1', name: 'str_replace', input: { path: 'add.js', old_str: 'a - b', new_str: 'a + b' } }] },
        { kind: 'message', content: [{ type: 'text', text: 'Fixed add.' }] },
      ],
    });
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-hook-')), 'urls.log');
    const test = `node --input-type=module -e "import { add } from './add.js'; process.exit(add(1, 2) === 3 ? 0 : 1)"`;
    const args = ['run', '--repo', repo, '--task', 'fix add', '--test-cmd', test, '--provider', 'anthropic', '--base-url', server.baseURL, '--sandbox', 'process', '--no-validate', '--json', '--runs-dir', path.join(path.dirname(log), 'runs')];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...hookArgs(log), PATCHLOOP_BIN, ...args], { cwd: repo, env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test' }, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', resolve);
    }).finally(() => server.close());
    expect(code).toBe(0);
    const urls = readFileSync(log, 'utf8').split('\n');
    // The SDK, zod and diff as one bundled file each (src/cli/vendor.mjs), none of their modules one by one.
    for (const bundle of ['anthropic-ai-sdk', 'zod', 'diff']) expect(urls.some((u) => u.endsWith(`/dist/vendor/${bundle}.mjs`)), bundle).toBe(true);
    expect(urls.some((u) => u.includes('/dist/tools/str-replace.js'))).toBe(true);
    const unused = urls.filter((u) => ['openai', 'ts-morph', 'simple-git', 'log-update', 'jsonc-parser', '@anthropic-ai/sdk', '@opentelemetry/api', 'zod', 'diff'].some((p) => u.includes(`/node_modules/${p}/`)));
    expect(unused).toEqual([]);
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
