/**
 * The throwaway world the sandbox attacks (sandbox/attacks.ts) run against, and the helpers they
 * share: a fake HOME with fake credentials, a real git checkout with a run's linked worktree and
 * planted secrets, a host TCP listener, fake API keys in the parent env.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox } from '../src/sandbox/create.ts';
import { linkDependencies } from '../src/sandbox/dependencies.ts';
import type { CommandSandbox } from '../src/sandbox/sandbox.ts';
import type { CommandResult } from '../src/sandbox/types.ts';

/** Fake secrets put in the parent's environment; none may be visible to the child. */
export const FAKE_KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-audit-fake-0001',
  OPENAI_API_KEY: 'sk-audit-fake-0002',
  GITHUB_TOKEN: 'ghp_auditfake0003',
  NPM_TOKEN: 'npm_auditfake0004',
} as const;

export interface AttackWorld {
  sandbox: CommandSandbox;
  base: string;
  /** Fake real HOME (holds .ssh/id_rsa, .npmrc, .bashrc). */
  home: string;
  /**
   * The user's checkout (a real git repository): must stay unwritable and unreadable. Holds a
   * `.env`, an untracked file, a token in `.git/config`, another run's worktree and a trace, each
   * carrying one of {@link CHECKOUT_SECRETS}, and a real `node_modules`.
   */
  repo: string;
  /** The run's worktree, `<repo>/.git/patchloop/worktrees/wt` (the one writable host path). */
  worktree: string;
  /** A file in the host's /tmp (must stay unchanged). */
  hostTmpFile: string;
  /** Port of a TCP listener on the host's 127.0.0.1; `connections` counts accepted sockets. */
  port: number;
  connections: number;
  warnings: string[];
  cleanup(): Promise<void>;
}

export interface AttackRow {
  attack: string;
  expected: string;
  observed: string;
  pass: boolean;
}

export interface Attack {
  name: string;
  expected: string;
  /** Runs the attack; returns what was observed and whether it matched the expectation. */
  run(w: AttackWorld): Promise<{ observed: string; pass: boolean }>;
}

/** Planted in the user's checkout outside the worktree; none may be readable inside. */
export const CHECKOUT_SECRETS = {
  '.env': 'AUDIT_ENV_SECRET_3c1d',
  'untracked file': 'AUDIT_UNTRACKED_SECRET_8e02',
  '.git/config': 'AUDIT_CONFIG_TOKEN_51af',
  'other worktree': 'AUDIT_OTHER_WT_SECRET_9b47',
  'trace folder': 'AUDIT_TRACE_SECRET_0d6e',
} as const;

export const SSH_KEY = '-----BEGIN OPENSSH PRIVATE KEY----- audit-fake-key';
const NPMRC = '//registry.npmjs.org/:_authToken=npm_audit_fake_npmrc';

/**
 * Builds the throwaway world and a sandbox for it. The base dir is NOT under /tmp (the sandbox
 * replaces /tmp, which would make the repository attacks pass trivially): `~/.cache` by default.
 */
export async function createAttackWorld(opts: { backend?: 'bwrap' | 'process' | 'auto'; baseParent?: string } = {}): Promise<AttackWorld> {
  const parent = opts.baseParent ?? path.join(os.homedir(), '.cache');
  await fs.mkdir(parent, { recursive: true });
  const base = await fs.mkdtemp(path.join(parent, 'patchloop-audit-'));
  const home = path.join(base, 'home');
  const repo = path.join(base, 'repo');
  await fs.mkdir(path.join(home, '.ssh'), { recursive: true });
  await fs.writeFile(path.join(home, '.ssh', 'id_rsa'), SSH_KEY, { mode: 0o600 });
  await fs.writeFile(path.join(home, '.npmrc'), NPMRC, { mode: 0o600 });
  await fs.writeFile(path.join(home, '.bashrc'), '# original\n');
  await createCheckout(repo);
  const worktree = path.join(repo, '.git', 'patchloop', 'worktrees', 'wt');
  git(repo, 'worktree', 'add', '-q', '-b', 'patchloop/wt', worktree);
  linkDependencies(repo, worktree);
  const hostTmpFile = path.join(os.tmpdir(), `patchloop-audit-${randomBytes(4).toString('hex')}`);
  await fs.writeFile(hostTmpFile, 'original\n');

  const world = { connections: 0 } as AttackWorld;
  const server = net.createServer((s) => {
    world.connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const warnings: string[] = [];
  const sandbox = await createSandbox({
    backend: opts.backend ?? 'auto',
    warn: (l) => warnings.push(l),
    home,
    hostEnv: { ...process.env, ...FAKE_KEYS },
    limits: { memoryMb: 512, processes: 128, cpuSeconds: 30, fileSizeMb: 64 },
  });
  return Object.assign(world, {
    sandbox,
    base,
    home,
    repo,
    worktree,
    hostTmpFile,
    port: (server.address() as net.AddressInfo).port,
    warnings,
    cleanup: async () => {
      server.close();
      await fs.rm(base, { recursive: true, force: true });
      await fs.rm(hostTmpFile, { force: true });
    },
  });
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=audit', '-c', 'user.email=audit@localhost', ...args], { cwd, encoding: 'utf8' });

/** The user's checkout: committed source, then everything a sandboxed test must not read. */
async function createCheckout(repo: string): Promise<void> {
  const S = CHECKOUT_SECRETS;
  await fs.mkdir(path.join(repo, 'src'), { recursive: true });
  await fs.writeFile(path.join(repo, 'src', 'index.ts'), 'export const x = 1;\n');
  await fs.writeFile(path.join(repo, '.gitignore'), 'node_modules\n.env\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'audit base');
  await fs.writeFile(path.join(repo, '.env'), `API_TOKEN=${S['.env']}\n`);
  await fs.writeFile(path.join(repo, 'scratch-notes.txt'), `${S['untracked file']}\n`);
  git(repo, 'config', 'remote.origin.url', `https://audit:${S['.git/config']}@example.com/r.git`);
  const other = path.join(repo, '.git', 'patchloop', 'worktrees', 'other');
  git(repo, 'worktree', 'add', '-q', '-b', 'patchloop/other', other);
  await fs.writeFile(path.join(other, 'src', 'index.ts'), `export const x = "${S['other worktree']}";\n`);
  await fs.mkdir(path.join(repo, '.git', 'patchloop', 'runs', 'other'), { recursive: true });
  await fs.writeFile(path.join(repo, '.git', 'patchloop', 'runs', 'other', 'trace.jsonl'), `{"tool_result":"${S['trace folder']}"}\n`);
  const dep = path.join(repo, 'node_modules', 'dep');
  await fs.mkdir(dep, { recursive: true });
  await fs.writeFile(path.join(dep, 'index.js'), 'module.exports = "dep-original";\n');
}

/** Every file under `dir` with its bytes (symlinks as their target), to compare before and after. */
export async function snapshot(dir: string): Promise<string> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out.push(`${path.relative(dir, p)} ${e.isSymbolicLink() ? `-> ${await fs.readlink(p)}` : e.isFile() ? await fs.readFile(p, 'base64') : 'dir'}`);
  }
  return out.sort().join('\n');
}

export const run = (w: AttackWorld, command: string, timeoutMs = 10_000): Promise<CommandResult> =>
  w.sandbox.run({ command, cwd: w.worktree, timeoutMs });

export const brief = (r: CommandResult): string => `${r.reason}, exit ${r.exitCode}${r.signal ? ` ${r.signal}` : ''}`;
export const lastLine = (s: string): string => s.trim().split('\n').pop()?.slice(0, 80) ?? '';
/** Refuses a destructive attack on a sandbox that would let it hit the host. */
export function needs(w: AttackWorld, what: 'isolated' | 'processes' | 'memory'): string | null {
  if (what === 'isolated' && !w.sandbox.isolated) return 'not run: backend is not isolated (would modify the host)';
  if (what === 'processes' && w.sandbox.enforcement.processes === 'none') return 'not run: no process limit enforceable here';
  if (what === 'memory' && w.sandbox.enforcement.memory === 'none') return 'not run: no memory limit enforceable here';
  return null;
}

