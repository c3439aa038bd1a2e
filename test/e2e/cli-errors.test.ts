/** Bad input gets one clear line and the documented exit code — run through the real executable. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.ts';

function scratchRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-cli-'));
  writeFileSync(path.join(dir, 'a.txt'), 'a\n');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init'], { cwd: dir });
  return dir;
}

describe('CLI errors', () => {
  it('a missing ANTHROPIC_API_KEY is one line that says how to fix it, exit 2; no branch or worktree is left', async () => {
    const repo = scratchRepo();
    const r = await runCli(['run', '--repo', repo, '--task', 'x', '--test-cmd', 'true'], { env: { ANTHROPIC_API_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(r.stderr).toContain('--provider replay');
    // The worktree is started while the provider is built (start-up); an error takes it back.
    expect(execFileSync('git', ['branch', '--list', 'patchloop/*'], { cwd: repo, encoding: 'utf8' }).trim()).toBe('');
    expect(execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' }).match(/^worktree /gm)).toHaveLength(1);
  });

  it('a folder that is not a git repository exits 4 and says what to do', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-nogit-'));
    const r = await runCli(['run', '--repo', dir, '--task', 'x', '--test-cmd', 'true', '--provider', 'replay', '--transcript', path.join(dir, 'none.jsonl')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not a git repository.*git init/);
  });

  it('a missing task exits 2', async () => {
    const r = await runCli(['run', '--repo', scratchRepo(), '--test-cmd', 'true', '--provider', 'replay', '--transcript', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--task');
  });

  it('an unknown flag exits 2', async () => {
    const r = await runCli(['run', '--no-such-flag']);
    expect(r.code).toBe(2);
  });

  it('a run id whose branch exists is refused with exit 2', async () => {
    const repo = scratchRepo();
    execFileSync('git', ['branch', 'patchloop/taken'], { cwd: repo });
    const transcript = path.join(repo, '..', `t-${path.basename(repo)}.jsonl`);
    writeFileSync(transcript, JSON.stringify({ model: 'claude-sonnet-5-5', provider: 'replay', stopReason: 'end_turn', content: [{ type: 'text', text: 'done' }] }) + '\n');
    const r = await runCli(['run', '--repo', repo, '--task', 'x', '--test-cmd', 'true', '--provider', 'replay', '--transcript', transcript, '--run-id', 'taken']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('branch patchloop/taken already exists');
    expect(execFileSync('git', ['branch', '--list', 'patchloop/taken'], { cwd: repo, encoding: 'utf8' })).toContain('patchloop/taken'); // the user's branch stays
  });
});
