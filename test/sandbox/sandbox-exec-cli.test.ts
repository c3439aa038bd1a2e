// `patchloop sandbox exec --repo DIR` applies exactly a run's policy, DIR's own node_modules included.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { hashTree, writePnpmStyleModules } from './tree-hash.ts';

let repo: string;
beforeAll(() => {
  fs.mkdirSync(path.join(os.homedir(), '.cache'), { recursive: true });
  repo = fs.mkdtempSync(path.join(os.homedir(), '.cache', 'patchloop-exec-'));
  fs.writeFileSync(path.join(repo, 'package.json'), '{"name":"e"}');
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'exec fixture'], { cwd: repo });
  execFileSync('git', ['config', 'user.token', 'CLI_CONFIG_SECRET_4411'], { cwd: repo });
  writePnpmStyleModules(path.join(repo, 'node_modules'));
  fs.mkdirSync(path.join(repo, '.git', 'patchloop', 'runs', 'r0'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.git', 'patchloop', 'runs', 'r0', 'trace.jsonl'), '{"out":"CLI_TRACE_SECRET_7c21"}\n');
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe('patchloop sandbox exec --repo DIR (real CLI)', () => {
  // One CLI call (starting the CLI costs seconds on a shared machine), two halves of the policy.
  it("DIR's real node_modules gets a run's throwaway layer; its .git is read-only with the config reduced", async () => {
    const hash = hashTree(path.join(repo, 'node_modules'));
    const hooksBefore = fs.existsSync(path.join(repo, '.git', 'hooks'));
    const script = [
      'echo \'module.exports = "patched";\' > node_modules/dep/index.js && mkdir -p node_modules/.vite-temp && node -e "console.log(require(\'dep\'))"',
      'git log -1 --format=%s; git config --list; cat .git/config .git/patchloop/runs/r0/trace.jsonl 2>&1; mkdir -p .git/hooks 2>&1; true',
    ].join('; ');
    const r = await runCli(['sandbox', 'exec', '--repo', repo, '--', 'sh', '-c', script]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('patched');
    expect(hashTree(path.join(repo, 'node_modules'))).toBe(hash);
    expect(r.stderr).toContain('node_modules: throwaway writable layer');
    expect(r.stdout).toContain('exec fixture');
    expect(r.stdout).not.toContain('CLI_CONFIG_SECRET_4411');
    expect(r.stdout).not.toContain('CLI_TRACE_SECRET_7c21');
    expect(r.stdout).toMatch(/Read-only file system/);
    expect(fs.existsSync(path.join(repo, '.git', 'hooks'))).toBe(hooksBefore);
  });
});
