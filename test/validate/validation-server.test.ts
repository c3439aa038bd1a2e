/**
 * The warm validation server (src/validate/server): a second run on the same commit is served by
 * the same process (warm), sees only its own edits (the first run's are put back), a run that comes
 * while another holds the server validates on its own, paths that leave the server's worktree are
 * refused, the socket is out of the sandbox's reach, and an idle server removes its worktree and exits.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/git/repo.ts';
import { createRunWorktree, removeRunWorktree } from '../../src/git/worktree.ts';
import { createSandbox } from '../../src/sandbox/index.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';
import { lazyValidation } from '../../src/cli/wiring.ts';
import { listServers } from '../../src/validate/server/admin.ts';
import { openServerSession, type SessionOptions } from '../../src/validate/server/client.ts';
import { safeRel, ServerConfigSchema } from '../../src/validate/server/protocol.ts';
import { startValidationServer, type RunningServer } from '../../src/validate/server/server.ts';
import { copyPackage, git } from './support/fixture-repo.ts';

const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true }, include: ['src/**/*.ts'] });

/** A checkout with its own TypeScript, a committed symlink `out` → /tmp, and one run worktree per call of `worktree`. */
function checkout() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-vserver-'));
  mkdirSync(path.join(root, 'node_modules'));
  copyPackage(root, 'typescript');
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  writeFileSync(path.join(root, 'tsconfig.json'), TSCONFIG);
  writeFileSync(path.join(root, '.gitignore'), 'node_modules\n');
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src/a.ts'), 'export const a: number = 1;\n');
  writeFileSync(path.join(root, 'src/b.ts'), "import { a } from './a.js';\nexport const b: number = a + 1;\n");
  symlinkSync(os.tmpdir(), path.join(root, 'out'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'base');
  return root;
}

const servers: RunningServer[] = [];
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Session options for a new run worktree of `root`; the server runs in this process (closed after the tests). */
async function runOf(root: string, runId: string, extra: Partial<SessionOptions> = {}): Promise<{ wt: string; opts: SessionOptions; notes: string[] }> {
  const repo = await openRepo(root);
  const wt = await createRunWorktree(repo, runId);
  linkDependencies(repo.root, wt.path);
  const notes: string[] = [];
  const opts: SessionOptions = {
    root: wt.path, repoRoot: repo.root, commonDir: repo.commonDir, baseSha: wt.baseSha, backend: 'bwrap', note: (l) => notes.push(l),
    spawnServer: (file) => {
      const config = ServerConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      void startValidationServer(config, () => undefined).then((s) => servers.push(s));
    },
    ...extra,
  };
  return { wt: wt.path, opts, notes };
}

/** A session once the server is free (a disposed session frees it a moment later), within 10 s. */
async function sessionWhenFree(opts: SessionOptions) {
  let s = await openServerSession(opts);
  for (let i = 0; !s && i < 200; i++) s = await new Promise((r) => setTimeout(r, 50)).then(() => openServerSession(opts));
  return s;
}

const typeRules = (r: { findings: { validator: string; file: string; rule: string }[] }) => r.findings.filter((f) => f.validator === 'types').map((f) => `${f.file} ${f.rule}`);

describe('safeRel', () => {
  it('accepts plain repo paths and refuses what leaves the tree or enters .git', () => {
    expect(['src/a.ts', 'a', 'pkg/x/y.json'].map(safeRel)).toEqual([true, true, true]);
    expect(['../x', 'src/../../x', '/etc/passwd', '.git/config', 'a/.git/hooks/x', 'a//b', './a', 'a\\b'].map(safeRel)).toEqual(Array(8).fill(false));
  });
});

describe.runIf(existsSync('/usr/bin/bwrap'))('warm validation server', () => {
  const root = checkout();
  roots.push(root);

  it('serves a second run warm, with only that run’s edits; a concurrent run is told busy', async () => {
    const one = await runOf(root, 'one');
    const first = await openServerSession(one.opts);
    expect(first?.runsServed).toBe(0);
    // a becomes a string: its importer b.ts (`b: number = a + 1`) breaks.
    writeFileSync(path.join(one.wt, 'src/a.ts'), "export const a: string = 'one';\n");
    const r1 = await first!.run(['src/a.ts'], {});
    expect(typeRules(r1)).toEqual(['src/b.ts TS2322']);

    // Another run while the first holds the server: no session, it validates in its own process.
    const other = await runOf(root, 'other');
    expect(await openServerSession(other.opts)).toBeUndefined();
    expect(other.notes.join('\n')).toMatch(/busy/);

    first!.dispose();
    const two = await runOf(root, 'two');
    const second = await sessionWhenFree(two.opts);
    expect(second?.runsServed).toBe(1);
    // The first run's a.ts was put back: for run two, a is a number again, so `b: string = a` is an error
    // (with run one's a.ts left in place, a string, it would not be).
    writeFileSync(path.join(two.wt, 'src/b.ts'), "import { a } from './a.js';\nexport const b: string = a;\n");
    const r2 = await second!.run(['src/b.ts'], {});
    expect(typeRules(r2)).toEqual(['src/b.ts TS2322']);
    second!.dispose();
    for (const id of ['one', 'other', 'two']) await removeRunWorktree(await openRepo(root), id);
  });

  it('an importer checked in an earlier run is checked again when that run\'s other edit was put back', async () => {
    // Its own repository (so its own server): b imports a and c.
    const own = checkout();
    roots.push(own);
    writeFileSync(path.join(own, 'src/c.ts'), 'export function c(): number { return 1; }\n');
    writeFileSync(path.join(own, 'src/b.ts'), "import { a } from './a.js';\nimport { c } from './c.js';\nexport const b: number = a + c();\n");
    git(own, 'add', '.');
    git(own, 'commit', '-qm', 'c');
    const one = await runOf(own, 'one');
    const first = await sessionWhenFree(one.opts);
    writeFileSync(path.join(one.wt, 'src/a.ts'), "export const a: string = 'one';\n");
    writeFileSync(path.join(one.wt, 'src/c.ts'), 'export function c(): number { return 2; }\n');
    expect(typeRules(await first!.run(['src/a.ts', 'src/c.ts'], {}))).toEqual(['src/b.ts TS2322']);
    first!.dispose();
    // Run two makes the same body-only edit of c, and a is a number again: b is fine. Before the
    // fix the server answered b from run one's cache and blocked this correct patch.
    const two = await runOf(own, 'two');
    const second = await sessionWhenFree(two.opts);
    expect(second?.runsServed).toBe(1);
    writeFileSync(path.join(two.wt, 'src/c.ts'), 'export function c(): number { return 2; }\n');
    expect(typeRules(await second!.run(['src/c.ts'], {}))).toEqual([]);
    second!.dispose();
    for (const id of ['one', 'two']) await removeRunWorktree(await openRepo(own), id);
  });

  it('refuses a file path through a committed symlink out of its worktree', async () => {
    const run = await runOf(root, 'escape');
    const s = await sessionWhenFree(run.opts);
    const planted = path.join(os.tmpdir(), `patchloop-planted-${process.pid}.ts`);
    // The run replaced its `out` symlink with a real folder; in the server's worktree `out` is still the link.
    rmSync(path.join(run.wt, 'out'));
    mkdirSync(path.join(run.wt, 'out'));
    writeFileSync(path.join(run.wt, 'out', path.basename(planted)), 'export {};\n');
    await expect(s!.run([`out/${path.basename(planted)}`], {})).rejects.toThrow(/refused path/);
    expect(existsSync(planted)).toBe(false);
    s!.dispose();
    await removeRunWorktree(await openRepo(root), 'escape');
  });

  it('never writes through a symlink planted in its worktree (sandboxed code can write there)', async () => {
    const run = await runOf(root, 'planted');
    const s = await sessionWhenFree(run.opts);
    writeFileSync(path.join(run.wt, 'src/a.ts'), 'export const a: number = 2;\n');
    await s!.run(['src/a.ts'], {});
    // What a hostile ESLint plugin in the worker could do: swap the file for a link to a host file.
    const victim = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-victim-')), 'bashrc');
    writeFileSync(victim, 'keep me\n');
    const inServer = path.join(servers[0]!.worktree, 'src/a.ts');
    rmSync(inServer);
    symlinkSync(victim, inServer);
    s!.dispose(); // the server puts a.ts back
    for (let i = 0; i < 250 && lstatSync(inServer).isSymbolicLink(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readFileSync(inServer, 'utf8')).toBe('export const a: number = 1;\n');
    rmSync(path.dirname(victim), { recursive: true, force: true });
    await removeRunWorktree(await openRepo(root), 'planted');
  });

  it('keeps its socket out of the sandbox: repository code cannot connect to it', async () => {
    const socketPath = servers[0]!.socketPath;
    // Reachable from here (the host)...
    await expect(new Promise((res, rej) => net.createConnection(socketPath).once('connect', res).once('error', rej))).resolves.toBeUndefined();
    // ...not from a command in the sandbox.
    const sandbox = await createSandbox({ backend: 'bwrap', warn: () => undefined });
    const probe = `require('net').createConnection(${JSON.stringify(socketPath)}).on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log('REFUSED '+e.code);process.exit(0)})`;
    const r = await sandbox.run({ command: `'${process.execPath}' -e "${probe.replace(/"/g, '\\"')}"`, cwd: root, timeoutMs: 20_000 });
    expect(r.output).toMatch(/REFUSED (ENOENT|EACCES|ECONNREFUSED)/);
    expect(r.output).not.toMatch(/CONNECTED/);
  });

  it("removes a worktree left by a killed server of its repository, and not a recent one", async () => {
    const repoDir = checkout();
    roots.push(repoDir);
    const run = await runOf(repoDir, 'prune');
    const bucket = path.dirname(run.wt);
    const sha = git(repoDir, 'rev-parse', 'HEAD').trim();
    const [stale, recent] = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'].map((k) => path.join(bucket, `validation-${k}`));
    for (const wt of [stale!, recent!]) git(repoDir, 'worktree', 'add', '-q', '--detach', wt, sha);
    utimesSync(stale!, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const s = await openServerSession(run.opts);
    const listed = () => git(repoDir, 'worktree', 'list');
    for (let i = 0; i < 100 && listed().includes(stale!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(listed()).not.toContain(stale!);
    expect(listed()).toContain(recent!);
    s?.dispose();
    await removeRunWorktree(await openRepo(repoDir), 'prune');
  });

  it('a server that cannot start is reported with its own reason, not waited for', async () => {
    const run = await runOf(root, 'nostart', { spawnServer: undefined, repoRoot: mkdtempSync(path.join(os.tmpdir(), 'patchloop-not-a-repo-')) });
    roots.push(run.opts.repoRoot);
    expect(await openServerSession(run.opts)).toBeUndefined();
    expect(run.notes.join('\n')).toMatch(/could not start: .*not a git repository/);
    await removeRunWorktree(await openRepo(root), 'nostart');
  });

  it('a server killed mid-run: the run validates in its own process from then on, with the same findings and a note', async () => {
    const alone = checkout();
    roots.push(alone);
    const run = await runOf(alone, 'killed', { spawnServer: undefined });
    const validation = lazyValidation(run.wt, run.opts.baseSha, await createSandbox({ backend: 'bwrap', warn: () => undefined }), {
      server: { repoRoot: run.opts.repoRoot, commonDir: run.opts.commonDir, note: run.opts.note! },
    });
    writeFileSync(path.join(run.wt, 'src/b.ts'), "import { a } from './a.js';\nexport const b: string = a;\n");
    const first = await validation.run(['src/b.ts'], {});
    expect(first.server).toBe('server, started by this run');
    expect(typeRules(first)).toEqual(['src/b.ts TS2322']);

    const mine = (await listServers()).filter((s) => s.worktree.startsWith(path.dirname(run.wt)));
    expect(mine).toHaveLength(1);
    // The kill lands before, during or after the server reads the request: each way the run falls back.
    const second = validation.run(['src/b.ts'], {});
    process.kill(mine[0]!.pid, 'SIGKILL');
    const report = await second;
    expect(report.server).toBeUndefined();
    expect(typeRules(report)).toEqual(['src/b.ts TS2322']);
    expect(run.notes.join('\n')).toMatch(/validation server failed, validating in this process from now on/);
    // And it stays in-process: no new server is started or asked.
    const third = await validation.run(['src/b.ts'], {});
    expect(third.server).toBeUndefined();
    expect(run.notes.filter((l) => /validation server failed/.test(l))).toHaveLength(1);
    validation.dispose();
    await removeRunWorktree(await openRepo(alone), 'killed');
  });

  it('a detached server started by a run exits after its idle time and removes its worktree', async () => {
    const alone = checkout();
    roots.push(alone);
    const run = await runOf(alone, 'idle', { idleMs: 1500, spawnServer: undefined });
    const s = await openServerSession(run.opts);
    expect(s?.runsServed).toBe(0);
    const listed = () => spawnSync('git', ['-C', alone, 'worktree', 'list', '--porcelain'], { encoding: 'utf8' }).stdout;
    expect(listed()).toMatch(/validation-[0-9a-f]{16}/);
    s!.dispose();
    for (let i = 0; i < 200 && /validation-/.test(listed()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(listed()).not.toMatch(/validation-/);
    await removeRunWorktree(await openRepo(alone), 'idle');
  });
});
