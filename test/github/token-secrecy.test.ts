/**
 * The push token travels only as a per-command header: against a local smart-HTTP git server that
 * demands it, the branch arrives; afterwards the token (raw or base64) is in no `.git/config`, no
 * run file (trace, summary, run.json) and no CLI output; a bad token fails with the token scrubbed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FakeGitHub, GitHttpServer } from '../support/github-server.ts';
import { pushCommit } from '../../src/github/push.ts';
import { cli, git, LOOP_FLAGS, scratchRepo, transcript, type Scratch } from './fixture.ts';

let gh: FakeGitHub;
let gitServer: GitHttpServer;
let s: Scratch;

const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = path.join(dir, n);
  return statSync(p).isDirectory() ? filesUnder(p) : [p];
});

beforeEach(async () => {
  gh = await new FakeGitHub().start();
  gh.addIssue({ number: 9, title: 'clamp is wrong', body: 'clamp(5, 0, 10) is 0' });
  s = scratchRepo();
  gitServer = await new GitHttpServer(s.dir, gh.token).start();
  git(s.repo, 'remote', 'set-url', 'origin', `${gitServer.url}/origin.git`);
});
afterEach(async () => {
  await gh.stop();
  await gitServer.stop();
});

describe('push token', () => {
  it('reaches the git server as a Basic header and is written nowhere', async () => {
    const res = await cli(['issue', 'acme/widgets#9', '--repo', s.repo, '--github-api-url', gh.url, '--attempts-file', s.attempts, ...LOOP_FLAGS, '--transcript', transcript('resolve'), '--json'], { ...process.env, GITHUB_TOKEN: gh.token });
    expect(res.code).toBe(0);
    const { summary } = JSON.parse(res.out) as { summary: { commitSha: string; runDir: string; worktree: string } };
    expect(git(s.origin, 'rev-parse', 'refs/heads/patchloop/issue-9')).toBe(summary.commitSha);
    const pushes = gitServer.requests.filter((r) => r.path.endsWith('git-receive-pack'));
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.every((r) => r.auth?.startsWith('Basic '))).toBe(true);

    const basic = Buffer.from(`x-access-token:${gh.token}`).toString('base64');
    const places = [path.join(s.repo, '.git', 'config'), path.join(summary.worktree, '.git'), ...filesUnder(summary.runDir)];
    for (const file of places) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(gh.token);
      expect(text, file).not.toContain(basic);
    }
    expect(readFileSync(path.join(s.repo, '.git', 'config'), 'utf8')).not.toMatch(/extraheader/i);
    expect(res.out + res.err).not.toContain(gh.token);
    expect(res.out + res.err).not.toContain(basic);
  });

  it('a rejected token fails the push with the token scrubbed from the message', async () => {
    const sha = git(s.repo, 'rev-parse', 'HEAD');
    const wrong = 'ghs_wrong_token_456';
    const err = await pushCommit({ repoDir: s.repo, remote: 'origin', sha, branch: 'patchloop/issue-9', token: wrong, mode: 'replace' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/git push to origin patchloop\/issue-9 failed/);
    expect((err as Error).message).not.toContain(wrong);
    expect(git(s.origin, 'branch', '--list', 'patchloop/*')).toBe('');
  });
});
