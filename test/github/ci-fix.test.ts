/**
 * `patchloop ci-fix` end to end (replay provider, local GitHub server, bare origin): failures from a
 * vitest JSON report (paths from another machine) and from JUnit XML → pull request against the
 * failing branch with the failing test locked; `--push-to-branch --test-cmd` adds a commit to the
 * branch; a commit carrying the Patchloop-Run trailer is left alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeGitHub } from '../support/github-server.ts';
import { cli, FIXTURES, git, LOOP_FLAGS, scratchRepo, transcript, type Scratch } from './fixture.ts';

let gh: FakeGitHub;
let s: Scratch;
const env = () => ({ ...process.env, GITHUB_TOKEN: gh.token, GITHUB_STEP_SUMMARY: s.stepSummary, GITHUB_REPOSITORY: 'acme/widgets', GITHUB_HEAD_REF: undefined, GITHUB_REF_NAME: undefined });
const ciArgs = (...extra: string[]) => ['ci-fix', '--repo', s.repo, '--github-api-url', gh.url, '--attempts-file', s.attempts, ...LOOP_FLAGS, '--transcript', transcript('resolve'), '--json', ...extra];

beforeEach(async () => {
  gh = await new FakeGitHub().start();
  s = scratchRepo();
});
afterEach(() => gh.stop());

describe('patchloop ci-fix', () => {
  for (const [kind, flag, file] of [['vitest JSON', '--report', 'vitest-report.json'], ['JUnit XML', '--junit', 'junit.xml']] as const) {
    it(`turns a ${kind} report into a pull request against the failing branch, the failing test locked`, async () => {
      const sha = git(s.repo, 'rev-parse', 'HEAD');
      const res = await cli(ciArgs(flag, path.join(FIXTURES, 'reports', file)), env());
      expect(res.err).not.toMatch(/unexpected error/);
      expect(res.code).toBe(0);
      const { summary, pullRequest } = JSON.parse(res.out) as { summary: { runDir: string; commitSha: string; task: string }; pullRequest: { number: number } };
      const head = `patchloop/ci-${sha.slice(0, 12)}`;
      expect(git(s.origin, 'rev-parse', `refs/heads/${head}`)).toBe(summary.commitSha);
      expect(gh.pulls).toEqual([expect.objectContaining({ number: pullRequest.number, head, base: 'main', state: 'open' })]);
      expect(gh.pulls[0]!.body).toContain('## Tests run');
      expect(gh.pulls[0]!.body).not.toContain('Fixes #');
      // The failing tests named by the report (absolute paths from the CI runner) are mapped and locked.
      const run = JSON.parse(readFileSync(path.join(summary.runDir, 'run.json'), 'utf8')) as { options: { lockedFiles: string[] } };
      expect(run.options.lockedFiles).toEqual(['src/range.spec.ts']);
      expect(summary.task).toContain('src/range.spec.ts :: clamp > keeps values inside the range');
      expect(summary.task).toContain('src/range.spec.ts :: clamp > lowers values above max');
      expect(summary.task).not.toContain('raises values below min'); // passed in the report
      expect(readFileSync(s.stepSummary, 'utf8')).toContain('## patchloop: ci-fix on main');
    });
  }

  it('--push-to-branch --test-cmd: finds the failures itself and adds a fast-forward commit to the failing branch', async () => {
    git(s.repo, 'checkout', '--quiet', '-b', 'feature');
    git(s.repo, 'push', '--quiet', 'origin', 'feature');
    gh.pulls.push({ number: 5, title: 'feature', body: 'wip', head: 'feature', base: 'main', state: 'open' });
    const before = git(s.repo, 'rev-parse', 'HEAD');
    const res = await cli(ciArgs('--push-to-branch'), env());
    expect(res.code).toBe(0);
    const { summary, pullRequest } = JSON.parse(res.out) as { summary: { commitSha: string }; pullRequest: { number: number } };
    expect(pullRequest.number).toBe(5);
    expect(git(s.origin, 'rev-parse', 'refs/heads/feature')).toBe(summary.commitSha);
    expect(git(s.origin, 'rev-parse', `${summary.commitSha}^`)).toBe(before);
    expect(gh.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pulls'))).toBe(false);
    expect(gh.pulls[0]!.body).toBe('wip'); // someone else's pull request is not rewritten
  });

  it('does nothing on a commit carrying the Patchloop-Run trailer (no bot loops)', async () => {
    git(s.repo, '-c', 'user.name=bot', '-c', 'user.email=bot@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'fix', '-m', 'Patchloop-Run: 20261128-000000-abcd');
    const res = await cli(ciArgs('--report', path.join(FIXTURES, 'reports', 'vitest-report.json')), env());
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/patchloop's own commit \(Patchloop-Run: 20261128-000000-abcd\)/);
    expect(res.out).toBe('');
    expect(gh.requests).toHaveLength(0);
    expect(git(s.origin, 'branch', '--list', 'patchloop/*')).toBe('');
  });
});
