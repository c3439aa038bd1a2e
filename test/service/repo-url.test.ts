/**
 * `repo.url` through the API: the repository is served over git's smart HTTP from 127.0.0.1 (the
 * server allows plain http for that host only), cloned once into the cache, fetched by later jobs,
 * and the run starts from the ref asked for. Bad URLs are refused at submit; an unknown ref or an
 * unreachable URL ends the job `error` naming the URL; a hostile repository's filter and a host's
 * hooks never run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mirrorIdentity, RepoCache } from '../../src/service/repo-cache.ts';
import { parseRepoUrl } from '../../src/service/repo-url.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.ts';
import { NODE_MODULES, startTestService, waitForRun, type TestService } from './support.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).trim();

interface Run { id: string; status: string; branch: string; commitSha: string; reason?: string; links: { patch: string } }

describe('repo.url: cloned into the cache, fetched, run from the ref', { timeout: 120_000 }, () => {
  let t: TestService;
  let server: GitHttpServer;
  let served: string; // project root of the git server
  let work: string; // the test's working copy of acme/slugify, pushed to the server
  let head: string; // the remote HEAD commit
  let mainBranch: string;
  const mirror = () => path.join(t.stateDir, 'repos', server.hostPort.replace(':', '_'), 'acme', 'slugify.git');
  const submit = async (repo: Record<string, string>, wait = 0): Promise<{ status: number; body: Run & { error?: { field?: string; message: string } } }> => {
    const res = await t.api(`/v1/runs${wait ? `?wait=${wait}` : ''}`, { body: { ...t.body(), repo } });
    return { status: res.status, body: (await res.json()) as Run & { error?: { field?: string; message: string } } };
  };
  const baseOf = (run: Run) => git(mirror(), 'rev-parse', `${run.branch}~1`);

  beforeAll(async () => {
    served = mkdtempSync(path.join(os.tmpdir(), 'patchloop-served-'));
    server = await startGitHttpServer(served);
    t = await startTestService({ workers: 2, gitAllowHttp: [server.hostPort] });
    // The task's repository, with its dependencies committed as a link (a url job has no install step).
    work = path.join(served, 'work');
    git(served, 'clone', '--quiet', path.join(t.reposRoot, t.repoRel), work);
    symlinkSync(NODE_MODULES, path.join(work, 'node_modules'), 'dir');
    git(work, 'add', '-f', 'node_modules');
    git(work, 'commit', '--quiet', '-m', 'dependencies');
    head = git(work, 'rev-parse', 'HEAD');
    mkdirSync(path.join(served, 'acme'));
    git(served, 'clone', '--quiet', '--bare', work, path.join(served, 'acme', 'slugify.git'));
    // The same repository without ".git" in its URL: both spellings share one mirror.
    symlinkSync('slugify.git', path.join(served, 'acme', 'slugify'));
    mainBranch = git(work, 'rev-parse', '--abbrev-ref', 'HEAD');
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    rmSync(served, { recursive: true, force: true });
  });

  it('clones the URL once, runs from the remote HEAD and serves the patch', async () => {
    const { status, body: run } = await submit({ url: `${server.url}/acme/slugify.git` }, 120);
    expect(status).toBe(200);
    expect(run.status).toBe('resolved');
    expect(baseOf(run)).toBe(head);
    expect(git(mirror(), 'rev-parse', run.branch)).toBe(run.commitSha);
    const patch = await t.api(run.links.patch);
    expect((await patch.text()).trim()).toBe(git(mirror(), 'diff', '--no-color', '--binary', `${run.branch}~1`, run.branch));
    expect(mirrorIdentity(mirror()).marker.fetches).toBe(1);
  });

  it('a second job fetches into the same mirror and finds a branch pushed since; a SHA ref starts there', async () => {
    const before = mirrorIdentity(mirror());
    git(work, 'checkout', '--quiet', '-b', 'feature');
    writeFileSync(path.join(work, 'NOTES.md'), 'pushed after the first clone\n');
    git(work, 'add', 'NOTES.md');
    git(work, 'commit', '--quiet', '-m', 'notes');
    git(work, 'push', '--quiet', path.join(served, 'acme', 'slugify.git'), 'feature');
    const feature = git(work, 'rev-parse', 'HEAD');

    const byBranch = (await submit({ url: `${server.url}/acme/slugify`, ref: 'feature' }, 120)).body;
    expect(byBranch.status).toBe('resolved');
    expect(baseOf(byBranch)).toBe(feature);
    const bySha = (await submit({ url: `${server.url}/acme/slugify.git`, ref: head }, 120)).body;
    expect(bySha.status).toBe('resolved');
    expect(baseOf(bySha)).toBe(head);

    const after = mirrorIdentity(mirror());
    expect(after.inode).toBe(before.inode); // not re-created
    expect(after.marker.clonedAt).toBe(before.marker.clonedAt);
    expect(after.marker.fetches).toBe(before.marker.fetches + 2);
    expect(existsSync(path.join(mirror(), '..', 'slugify.checkouts', feature))).toBe(true);
  });

  it('two caches on one state folder (two worker processes) take turns: one clones, the other fetches', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-cache-'));
    try {
      const sandbox = await createSandbox({ warn: () => {} });
      const url = parseRepoUrl(`${server.url}/acme/slugify.git`, [server.hostPort]);
      const [a, b] = await Promise.all([new RepoCache({ stateDir, sandbox }).prepare(url), new RepoCache({ stateDir, sandbox }).prepare(url)]);
      expect([a.fetched, b.fetched].sort()).toEqual(['clone', 'fetch']);
      expect([a.commit, b.commit]).toEqual([head, head]);
      expect(a.checkout).toBe(b.checkout);
      expect(mirrorIdentity(a.mirror).marker.fetches).toBe(2);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('an unknown ref and an unreachable URL end the job as error, naming the URL and the fix', async () => {
    const unknown = (await submit({ url: `${server.url}/acme/slugify.git`, ref: 'no-such-branch' })).body;
    const missing = (await submit({ url: `${server.url}/acme/missing.git` })).body;
    const u = await waitForRun(t, unknown.id, (r) => r.status === 'error');
    expect(u['reason']).toContain('repo.ref "no-such-branch" is not a branch, tag or commit of');
    expect(u['reason']).toContain(`${server.url}/acme/slugify.git`);
    const m = await waitForRun(t, missing.id, (r) => r.status === 'error');
    expect(m['reason']).toContain(`could not fetch ${server.url}/acme/missing.git`);
    expect(m['reason']).toContain('Check that the URL is right');
    expect(existsSync(path.join(t.stateDir, 'repos', server.hostPort.replace(':', '_'), 'acme', 'missing.git'))).toBe(false);
  });

  it('refuses bad URLs and refs with 400 naming the field, and queues nothing', async () => {
    const count = async () => ((await (await t.api('/v1/runs?limit=500')).json()) as { runs: unknown[] }).runs.length;
    const before = await count();
    const bad: [Record<string, string>, string, RegExp][] = [
      [{ url: 'https://user:secret@example.com/acme/widget.git' }, 'repo.url', /credentials/],
      [{ url: 'https://ghp_token@example.com/acme/widget.git' }, 'repo.url', /credentials/],
      [{ url: 'file:///etc/passwd' }, 'repo.url', /pattern/],
      [{ url: 'ext::sh -c touch% /tmp/pwned' }, 'repo.url', /pattern/],
      [{ url: 'http://example.com/acme/widget.git' }, 'repo.url', /plain http is not allowed for example\.com/],
      [{ url: 'http://127.0.0.1:1/acme/widget.git' }, 'repo.url', /plain http is not allowed/],
      [{ url: 'https://example.com/acme/../../etc' }, 'repo.url', /path must be/],
      [{ url: 'https://-oProxyCommand=x/acme/w' }, 'repo.url', /host/],
      [{ url: 'ssh://alice@example.com/acme/w' }, 'repo.url', /user name/],
      [{ url: 'https://example.com/acme/w x' }, 'repo.url', /whitespace/],
      [{ url: `${server.url}/acme/slugify.git`, ref: 'main..feature' }, 'repo.ref', /not a branch, tag or commit name/],
    ];
    for (const [repo, field, message] of bad) {
      const { status, body } = await submit(repo);
      expect({ repo, status, field: body.error?.field }).toEqual({ repo, status: 400, field });
      expect(body.error!.message).toMatch(message);
      expect(body.error!.message).not.toContain('secret');
    }
    expect(await count()).toBe(before);
  });

  it("a hostile repository's filter and the host's hooks do not run on clone, checkout or commit", async () => {
    const evil = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evil-'));
    const marker = (n: string) => path.join(evil, `${n}.ran`);
    const hooks = path.join(evil, 'hooks');
    mkdirSync(hooks);
    for (const h of ['post-checkout', 'reference-transaction', 'pre-commit']) writeFileSync(path.join(hooks, h), `#!/bin/sh\ntouch ${marker(h)}\n`, { mode: 0o755 });
    // A host whose git config defines a filter (as git-lfs does) and a hooks folder; the repository opts into the filter.
    // (HOME rather than GIT_CONFIG_GLOBAL: simple-git does not pass GIT_CONFIG_* variables on.)
    writeFileSync(path.join(evil, '.gitconfig'), `[core]\n\thooksPath = ${hooks}\n[filter "evil"]\n\tsmudge = touch ${marker('smudge')}; cat\n\tclean = touch ${marker('clean')}; cat\n`);
    git(work, 'checkout', '--quiet', mainBranch);
    writeFileSync(path.join(work, '.gitattributes'), '* filter=evil\n');
    git(work, 'add', '.gitattributes');
    git(work, 'commit', '--quiet', '-m', 'attributes');
    git(served, 'clone', '--quiet', '--bare', work, path.join(served, 'acme', 'hostile.git'));
    const saved = { HOME: process.env['HOME'], GIT_CONFIG_GLOBAL: process.env['GIT_CONFIG_GLOBAL'] };
    process.env['HOME'] = evil;
    delete process.env['GIT_CONFIG_GLOBAL'];
    try {
      // Control: a plain clone on this host runs them.
      // (async: the git server runs in this process)
      await promisify(execFile)('git', ['clone', '--quiet', `${server.url}/acme/hostile.git`, path.join(evil, 'plain')]);
      expect(['post-checkout', 'smudge'].filter((n) => existsSync(marker(n)))).toEqual(['post-checkout', 'smudge']);
      for (const n of ['post-checkout', 'smudge', 'reference-transaction', 'clean', 'pre-commit']) rmSync(marker(n), { force: true });

      const ran = () => ['post-checkout', 'smudge', 'reference-transaction', 'clean', 'pre-commit'].filter((n) => existsSync(marker(n)));
      const { id } = (await submit({ url: `${server.url}/acme/hostile.git` })).body;
      const end = await waitForRun(t, id, (r) => ran().length > 0 || !['queued', 'running'].includes(r.status));
      expect(ran()).toEqual([]);
      expect(end.status).toBe('resolved');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(evil, { recursive: true, force: true });
    }
  });
});

describe('repo cache: a clone that hangs', { timeout: 30_000 }, () => {
  it('is stopped at the time limit; the error names the URL and the fix, and no mirror is left', async () => {
    // A server that accepts and never answers.
    const stall = createServer(() => {});
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    const hostPort = `127.0.0.1:${(stall.address() as AddressInfo).port}`;
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-cache-'));
    try {
      const cache = new RepoCache({ stateDir, sandbox: await createSandbox({ warn: () => {} }), timeoutMs: 1500 });
      const url = parseRepoUrl(`http://${hostPort}/acme/slow.git`, [hostPort]);
      await expect(cache.prepare(url)).rejects.toThrow(`fetching http://${hostPort}/acme/slow.git took longer than 2 s and was stopped`);
      expect(readdirSync(path.dirname(cache.mirrorOf(url)))).toEqual([]); // no mirror, no half-clone, no lock
    } finally {
      stall.closeAllConnections();
      stall.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('repo.url normalisation', () => {
  it('names one mirror per repository whatever the spelling; keeps the URL as given for git', () => {
    const cases: [string, string][] = [
      ['https://GitHub.com/acme/widget.git', 'github.com/acme/widget.git'],
      ['https://github.com/acme/widget/', 'github.com/acme/widget.git'],
      ['ssh://git@github.com/acme/widget.git', 'github.com/acme/widget.git'],
      ['git@github.com:acme/widget.git', 'github.com/acme/widget.git'],
      ['https://gitlab.example.com:8443/group/sub/widget', 'gitlab.example.com_8443/group/sub/widget.git'],
    ];
    for (const [url, mirror] of cases) expect({ url, mirror: parseRepoUrl(url).mirrorPath }).toEqual({ url, mirror });
    expect(parseRepoUrl('git@github.com:acme/widget.git')).toMatchObject({ scheme: 'ssh', host: 'github.com', segments: ['acme', 'widget'], url: 'git@github.com:acme/widget.git' });
    expect(parseRepoUrl('http://git.internal/acme/w', ['git.internal']).scheme).toBe('http');
    expect(() => parseRepoUrl('http://git.internal:8080/acme/w', ['git.internal'])).toThrow(/plain http is not allowed for git.internal:8080/);
  });
});
