/**
 * A webhook CI fix is computed at the failed run's commit (`workflow_run.head_sha`), not at whatever
 * the checkout under the repos root has checked out: the checkout stays on `main` (green) while the
 * failing run was on `feature` at S. The run starts from S, the pull request targets `feature`, and
 * the user's checkout (HEAD, branch, uncommitted files) is untouched. A commit the checkout lacks is
 * fetched from `origin` in the sandbox; one that cannot be had is a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeGitHub } from '../support/github-server.ts';
import { signWebhook, WEBHOOK_SECRET } from './support.ts';
import { git, NODE_MODULES, scratchRepo, transcript, type Scratch } from '../github/fixture.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import { executorConfig, startService, type RunningService, type ServeOptions } from '../../src/service/server.ts';
import { runDirOf } from '../../src/service/executor.ts';
import { isTerminal } from '../../src/service/job-store.ts';
import { prepareGitHubJob } from '../../src/service/github-job.ts';
import { ensureCommit, hasCommit, withDetachedWorktree } from '../../src/service/ci-commit.ts';
import { openRepo } from '../../src/git/repo.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.ts';

const commit = (cwd: string, message: string) => git(cwd, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', message);
const FIXED = 'return Math.max(min, Math.min(max, n));';

let gh: FakeGitHub;
let s: Scratch;
let opts: ServeOptions;
let svc: RunningService;
/** Tip of `feature`: clamp still broken, the range test fails. */
let S: string;
/** Tip of `main`, the checkout's HEAD: clamp fixed, green. */
let M: string;
/** A commit on `bot` carrying patchloop's own trailer. */
let OWN: string;

beforeAll(async () => {
  gh = await new FakeGitHub().start();
  s = scratchRepo();
  const reposRoot = path.join(s.dir, 'repos');
  mkdirSync(path.join(reposRoot, 'acme'), { recursive: true });
  renameSync(s.repo, path.join(reposRoot, 'acme', 'widgets'));
  s.repo = path.join(reposRoot, 'acme', 'widgets');
  const r = s.repo;
  git(r, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(path.join(r, 'NOTES.md'), 'feature work\n');
  git(r, 'add', 'NOTES.md');
  commit(r, 'feature work');
  S = git(r, 'rev-parse', 'HEAD');
  git(r, 'checkout', '--quiet', '-b', 'bot', 'main');
  git(r, '-c', 'user.name=patchloop', '-c', 'user.email=p@localhost', 'commit', '--quiet', '--allow-empty', '-m', 'fix', '-m', 'Patchloop-Run: r-earlier');
  OWN = git(r, 'rev-parse', 'HEAD');
  git(r, 'checkout', '--quiet', 'main');
  const src = path.join(r, 'src', 'range.ts');
  writeFileSync(src, readFileSync(src, 'utf8').replace('return Math.min(min, Math.max(max, n));', FIXED));
  git(r, 'add', 'src/range.ts');
  commit(r, 'fix clamp on main');
  M = git(r, 'rev-parse', 'HEAD');
  git(r, 'push', '--quiet', 'origin', 'main', 'feature');
  // The user's uncommitted work, which nothing may touch.
  writeFileSync(path.join(r, 'scratch.txt'), 'mine, not committed\n');
  appendFileSync(path.join(r, '.gitignore'), '# edited, not committed\n');
  opts = {
    port: 0, host: '127.0.0.1', workers: 1, reposRoot, stateDir: path.join(s.dir, 'state'), sandbox: 'auto', validate: false,
    env: { GITHUB_TOKEN: gh.token }, provider: { provider: 'replay', transcript: transcript('resolve') }, githubWebhookSecret: WEBHOOK_SECRET, githubApiUrl: gh.url,
  };
  svc = await startService(opts);
});
afterAll(async () => {
  await svc?.close();
  await gh?.stop();
  rmSync(s.dir, { recursive: true, force: true });
});

const deliver = (payload: unknown) => {
  const body = JSON.stringify(payload);
  return fetch(`${svc.url}/v1/github/webhook`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signWebhook(body) },
  });
};
const until = async (what: string, pred: () => boolean, timeoutMs = 60_000) => {
  for (const end = Date.now() + timeoutMs; !pred(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
};
const checkoutState = () => ({
  head: git(s.repo, 'rev-parse', 'HEAD'), branch: git(s.repo, 'rev-parse', '--abbrev-ref', 'HEAD'), status: git(s.repo, 'status', '--porcelain'),
  scratch: readFileSync(path.join(s.repo, 'scratch.txt'), 'utf8'), range: readFileSync(path.join(s.repo, 'src', 'range.ts'), 'utf8'),
});
const worktrees = (dir: string) => git(dir, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));

describe('a webhook CI fix runs at the failed run\'s commit', { timeout: 60_000 }, () => {
  it('checkout on green main, run failed on feature at S → the run starts at S, the pull request targets feature, the checkout is untouched', async () => {
    const before = checkoutState();
    expect(before.branch).toBe('main');
    expect(before.status).toContain('?? scratch.txt');
    const res = await deliver({ action: 'completed', workflow_run: { conclusion: 'failure', head_branch: 'feature', head_sha: S, id: 501 }, repository: { full_name: 'acme/widgets' } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await until('the ci-fix job to end', () => isTerminal(svc.store.get(id)!.status));
    const job = svc.store.get(id)!;
    expect(job.error ?? null).toBeNull();
    expect(job.status).toBe('resolved');

    const runDir = runDirOf(opts.stateDir, id);
    const start = readTrajectory(path.join(runDir, 'trajectory.jsonl')).find((l) => l.type === 'run_start');
    expect(start).toMatchObject({ baseRef: S });
    expect(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).options.baseRef).toBe(S);
    expect(job.summary!.baseSha).toBe(S);
    // The failing test at S was found (at M nothing fails) and locked.
    expect(job.summary!.task).toContain('src/range.spec.ts');
    // The fix is one commit on top of S, pushed as patchloop/ci-<S12>, proposed against feature.
    const fix = job.summary!.commitSha!;
    expect(git(s.repo, 'rev-parse', `${fix}^`)).toBe(S);
    const head = `patchloop/ci-${S.slice(0, 12)}`;
    expect(git(s.origin, 'rev-parse', `refs/heads/${head}`)).toBe(fix);
    expect(gh.pulls).toEqual([expect.objectContaining({ head, base: 'feature', state: 'open' })]);

    // The user's checkout: same HEAD, branch, uncommitted files; no temporary worktree left.
    expect(checkoutState()).toEqual(before);
    expect(checkoutState().head).toBe(M);
    expect(worktrees(s.repo).filter((w) => w.includes('ci-check'))).toEqual([]);
  });

  it('the own-commit check is made on the failed run\'s commit, not on the checkout\'s HEAD', async () => {
    const cfg = await executorConfig(opts);
    await expect(prepareGitHubJob(cfg, { kind: 'ci-fix', repo: 'acme/widgets', branch: 'bot', headSha: OWN }, s.repo)).rejects.toMatchObject({ code: 'own_commit', message: expect.stringContaining(OWN.slice(0, 12)) });
    // A job from a queue another process wrote is checked before git sees its commit id.
    await expect(prepareGitHubJob(cfg, { kind: 'ci-fix', repo: 'acme/widgets', branch: 'feature', headSha: '--output=/tmp/x' }, s.repo)).rejects.toMatchObject({ code: 'bad_github_job' });
  });

  it('the temporary worktree at the commit is removed when the work in it throws', async () => {
    const info = await openRepo(s.repo);
    let seen = '';
    await expect(withDetachedWorktree(info, S, async (dir) => {
      seen = dir;
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(S);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
    expect(existsSync(NODE_MODULES)).toBe(true);
    expect(worktrees(s.repo).some((w) => w.includes('ci-check'))).toBe(false);
  });
});

describe('a failed run\'s commit the checkout lacks', { timeout: 60_000 }, () => {
  let server: GitHttpServer;
  let dir: string;
  let checkout: string;
  let feature: string;
  beforeAll(async () => {
    dir = path.join(s.dir, 'fetch');
    mkdirSync(dir, { recursive: true });
    git(dir, 'clone', '--quiet', '--bare', `file://${s.origin}`, 'widgets.git');
    feature = git(path.join(dir, 'widgets.git'), 'rev-parse', 'refs/heads/feature');
    // Only main is cloned: the checkout has never seen feature's commit.
    git(dir, 'clone', '--quiet', '--single-branch', '--branch', 'main', `file://${path.join(dir, 'widgets.git')}`, 'checkout');
    checkout = path.join(dir, 'checkout');
    symlinkSync(NODE_MODULES, path.join(checkout, 'node_modules'), 'dir');
    server = await startGitHttpServer(dir);
    git(checkout, 'remote', 'set-url', 'origin', `${server.url}/widgets.git`);
  });
  afterAll(() => server?.close());

  it('is fetched from origin in the sandbox; a commit origin does not have is a clear error naming it, the repository and the fix', async () => {
    const info = await openRepo(checkout);
    const sandbox = await createSandbox({ backend: 'auto', warn: () => {} });
    const base = { repo: info, slug: 'acme/widgets', sandbox, timeoutMs: 30_000 };
    expect(await hasCommit(info, feature)).toBe(false);
    const head = git(checkout, 'rev-parse', 'HEAD');

    // Plain http only for an allowed host: refused otherwise, nothing fetched.
    await expect(ensureCommit({ ...base, sha: feature })).rejects.toMatchObject({ code: 'ci_commit_missing', message: expect.stringContaining('plain http is not allowed') });
    expect(server.requests).toEqual([]);

    expect(await ensureCommit({ ...base, sha: feature, gitAllowHttp: [server.hostPort] })).toBe('fetched');
    expect(await hasCommit(info, feature)).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(await ensureCommit({ ...base, sha: feature, gitAllowHttp: [server.hostPort] })).toBe('present');
    // Objects only: HEAD, branches and the repository's own info/attributes stay as they were.
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(checkout, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('refs/heads/main');
    expect(existsSync(path.join(info.commonDir, 'info', 'attributes'))).toBe(false);

    const unknown = '0123456789abcdef0123456789abcdef01234567';
    const err = await ensureCommit({ ...base, sha: unknown, gitAllowHttp: [server.hostPort] }).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'ci_commit_missing' });
    expect((err as Error).message).toContain(unknown);
    expect((err as Error).message).toContain('acme/widgets');
    expect((err as Error).message).toContain(`fetch origin ${unknown}`);
  });
});
