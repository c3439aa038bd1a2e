/** Every documented exit code, each produced by a real situation through the real executable. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';

const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-paginate-off-by-one'));
const replay = (repo: string, ...extra: string[]) => ['run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--json', ...extra];
const fresh = () => prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));

describe('exit codes', () => {
  it('0 when resolved', async () => {
    expect((await runCli(replay(await fresh()))).code).toBe(0);
  });

  it('1 when the iterations run out (the first attempt fails its tests)', async () => {
    const r = await runCli(replay(await fresh(), '--max-iterations', '1'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'max_iterations', iterations: 1 });
  });

  it('2 on a usage error', async () => {
    expect((await runCli(['run', '--max-iterations'])).code).toBe(2);
    expect((await runCli(replay(await fresh(), '--max-iterations', 'many'))).code).toBe(2);
  });

  it('3 when the token budget refuses the next call', async () => {
    const r = await runCli(replay(await fresh(), '--budget-tokens', '3000'));
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('budget_exhausted');
    expect(s.reason).toMatch(/token budget: \d+ used/);
    expect(s.usage.inputTokens + s.usage.cacheReadTokens + s.usage.cacheWriteTokens + s.usage.outputTokens).toBeLessThanOrEqual(3000);
  });

  it('4 when the folder is not a git repository', async () => {
    const r = await runCli(['run', '--repo', mkdtempSync(path.join(os.tmpdir(), 'plain-')), '--task', 'x', '--test-cmd', 'true', '--provider', 'replay', '--transcript', 'x']);
    expect(r.code).toBe(4);
  });

  it('4 when the sandbox asked for is unavailable', async () => {
    // A PATH with git, sh and node but no bwrap.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'patchloop-path-'));
    for (const tool of ['git', 'sh', 'node']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const r = await runCli(replay(await fresh(), '--sandbox', 'bwrap'), { env: { PATH: bin } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bwrap backend asked for but unusable/);
  });

  it('4 when git itself is missing, with a message that says so', async () => {
    const r = await runCli(replay(await fresh()), { env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('git was not found on PATH');
  });
  it('4 when the repository has no installed dependencies; --setup installs them in the worktree', async () => {
    const repo = await fresh();
    rmSync(path.join(repo, 'node_modules'));
    const missing = await runCli(replay(repo));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/No node_modules in .*install dependencies first \(npm ci\), or pass --setup "npm ci"/);
    // A stand-in for `npm ci` that needs no registry: it provides node_modules inside the worktree.
    const withSetup = await runCli(replay(repo, '--setup', `ln -s ${path.join(REPO_ROOT, 'node_modules')} node_modules`));
    expect(withSetup.stderr).not.toMatch(/unexpected error/);
    expect(JSON.parse(withSetup.stdout).status).toBe('resolved');
    expect(withSetup.code).toBe(0);
  });

  // 130 (Ctrl-C) is covered in resume-after-kill.test.ts and the terminal test.
});
