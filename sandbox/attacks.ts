/**
 * The sandbox attack list, shared by `npm run sandbox:audit` (sandbox/audit.ts) and the vitest suite
 * (test/sandbox/audit.test.ts). Each attack runs inside the given sandbox against a throwaway world
 * (a fake HOME with fake credentials, a fake "original repository", a worktree, a host TCP listener,
 * fake API keys in the parent env) and says what it expected and what it observed.
 * Destructive attacks refuse to run on a sandbox that is not isolated (they would hit the host).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox } from '../src/sandbox/create.ts';
import type { CommandSandbox } from '../src/sandbox/sandbox.ts';
import type { CommandResult } from '../src/sandbox/types.ts';
import { linkDependencies } from '../src/sandbox/dependencies.ts';
import { createToolset, runToolCall } from '../src/tools/index.ts';

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

const SSH_KEY = '-----BEGIN OPENSSH PRIVATE KEY----- audit-fake-key';
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
async function snapshot(dir: string): Promise<string> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out.push(`${path.relative(dir, p)} ${e.isSymbolicLink() ? `-> ${await fs.readlink(p)}` : e.isFile() ? await fs.readFile(p, 'base64') : 'dir'}`);
  }
  return out.sort().join('\n');
}

const run = (w: AttackWorld, command: string, timeoutMs = 10_000): Promise<CommandResult> =>
  w.sandbox.run({ command, cwd: w.worktree, timeoutMs });

const brief = (r: CommandResult): string => `${r.reason}, exit ${r.exitCode}${r.signal ? ` ${r.signal}` : ''}`;
const lastLine = (s: string): string => s.trim().split('\n').pop()?.slice(0, 80) ?? '';
const hostRun = (cmd: string, args: string[]): Promise<{ code: number; out: string }> =>
  new Promise((r) => execFile(cmd, args, (err, out) => r({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out })));

/** Refuses a destructive attack on a sandbox that would let it hit the host. */
function needs(w: AttackWorld, what: 'isolated' | 'processes' | 'memory'): string | null {
  if (what === 'isolated' && !w.sandbox.isolated) return 'not run: backend is not isolated (would modify the host)';
  if (what === 'processes' && w.sandbox.enforcement.processes === 'none') return 'not run: no process limit enforceable here';
  if (what === 'memory' && w.sandbox.enforcement.memory === 'none') return 'not run: no memory limit enforceable here';
  return null;
}

/** Write attempt: refused by the sandbox, and the host file unchanged. */
function writeAttack(name: string, target: (w: AttackWorld) => string, shell: (p: string) => string): Attack {
  return {
    name,
    expected: 'refused, host unchanged',
    async run(w) {
      const skip = needs(w, 'isolated');
      if (skip) return { observed: skip, pass: false };
      const p = target(w);
      const before = await fs.readFile(p, 'utf8').catch(() => null);
      const r = await run(w, shell(p));
      const after = await fs.readFile(p, 'utf8').catch(() => null);
      const unchanged = before === after;
      return { observed: `${unchanged ? 'unchanged' : 'CHANGED'}; ${lastLine(r.output) || brief(r)}`, pass: unchanged && r.exitCode !== 0 };
    },
  };
}

const nodeConnect = (host: string, port: number): string =>
  `node -e "const s=require('net').connect(${port},'${host}');s.setTimeout(3000,()=>{console.log('TIMEOUT');process.exit(4)});s.on('connect',()=>{console.log('CONNECTED');process.exit(0)});s.on('error',e=>{console.log('ERR '+e.code);process.exit(3)})"`;

export const ATTACKS: Attack[] = [
  {
    name: 'connect to a host listener on 127.0.0.1',
    expected: 'refused, listener sees nothing',
    async run(w) {
      const r = await run(w, nodeConnect('127.0.0.1', w.port));
      await new Promise((res) => setTimeout(res, 50));
      return { observed: `${lastLine(r.output)}; host accepted ${w.connections}`, pass: !r.output.includes('CONNECTED') && w.connections === 0 };
    },
  },
  {
    name: 'resolve and connect to an outside address',
    expected: 'refused',
    async run(w) {
      const r = await run(w, `node -e "require('dns').lookup('example.com',(e,a)=>console.log('DNS '+(e?e.code:a)))"; ${nodeConnect('1.1.1.1', 443)}`);
      const out = r.output.trim().split('\n').join('; ');
      return { observed: out.slice(0, 80), pass: !r.output.includes('CONNECTED') && !/DNS \d/.test(r.output) };
    },
  },
  writeAttack('write $HOME/.bashrc', (w) => path.join(w.home, '.bashrc'), (p) => `echo pwned >> '${p}'`),
  writeAttack('write /etc/passwd', () => '/etc/passwd', (p) => `: >> '${p}'`),
  writeAttack('write the original repository', (w) => path.join(w.repo, 'src', 'index.ts'), (p) => `echo pwned >> '${p}'`),
  writeAttack('repoint the worktree .git at a planted gitdir', (w) => path.join(w.worktree, '.git'), (p) => `echo 'gitdir: /tmp/evil' > '${p}'`),
  {
    name: 'write a file in host /tmp',
    expected: 'host file unchanged (write lands in private /tmp)',
    async run(w) {
      const skip = needs(w, 'isolated');
      if (skip) return { observed: skip, pass: false };
      const r = await run(w, `echo pwned >> '${w.hostTmpFile}'; cat '${w.hostTmpFile}'`);
      const after = await fs.readFile(w.hostTmpFile, 'utf8');
      const unchanged = after === 'original\n';
      return { observed: `host file ${unchanged ? 'unchanged' : 'CHANGED'}; inside read ${JSON.stringify(lastLine(r.output))}`, pass: unchanged };
    },
  },
  {
    name: 'read ~/.ssh/id_rsa and ~/.npmrc',
    expected: 'contents not visible',
    async run(w) {
      const r = await run(w, `cat '${w.home}/.ssh/id_rsa' '${w.home}/.npmrc' ~/.ssh/id_rsa ~/.npmrc 2>&1; true`);
      const leaked = r.output.includes('audit-fake-key') || r.output.includes('npm_audit_fake_npmrc');
      return { observed: leaked ? 'LEAKED' : `hidden (${r.output.trim().split('\n').length} lines, no secret)`, pass: !leaked };
    },
  },
  {
    name: 'read API keys from the environment',
    expected: 'absent',
    async run(w) {
      const r = await run(w, 'env');
      const seen = Object.entries(FAKE_KEYS).filter(([k, v]) => r.output.includes(k) || r.output.includes(v)).map(([k]) => k);
      return { observed: seen.length ? `visible: ${seen.join(', ')}` : 'absent', pass: seen.length === 0 && r.exitCode === 0 };
    },
  },
  {
    name: 'fork bomb',
    expected: 'limit:processes, host responsive',
    async run(w) {
      const skip = needs(w, 'processes');
      if (skip) return { observed: skip, pass: false };
      // The parent shell stays alive (sleep) so the bomb grows instead of dying with the pid namespace.
      const r = await run(w, 'b() { b | b & }; b; sleep 30', 20_000);
      const host = await hostRun('true', []);
      return { observed: `${brief(r)}; host spawn ${host.code === 0 ? 'ok' : 'FAILED'}`, pass: r.reason === 'limit:processes' && host.code === 0 };
    },
  },
  {
    name: 'allocate 4 GB',
    expected: 'killed, limit:memory',
    async run(w) {
      const skip = needs(w, 'memory');
      if (skip) return { observed: skip, pass: false };
      const r = await run(w, `node -e "const a=[];for(let i=0;i<64;i++)a.push(Buffer.alloc(64*1024*1024,1));console.log('ALLOCATED')"`, 30_000);
      return { observed: brief(r), pass: r.reason === 'limit:memory' && !r.output.includes('ALLOCATED') };
    },
  },
  {
    name: 'memory spread over 4 processes (4 × 200 MB, tree limit 512 MB)',
    expected: 'killed, limit:memory (limit is per tree)',
    async run(w) {
      const skip = needs(w, 'memory');
      if (skip) return { observed: skip, pass: false };
      const one = `node -e "const b=Buffer.alloc(200*1024*1024,1);setTimeout(()=>console.log('HELD '+b.length),3000)"`;
      const r = await run(w, `${one} & ${one} & ${one} & ${one} & wait`, 30_000);
      return { observed: brief(r), pass: r.reason === 'limit:memory' };
    },
  },
  {
    name: 'while(true){} past the timeout',
    expected: 'killed, timeout',
    async run(w) {
      const r = await run(w, 'node -e "while(true){}"', 1500);
      return { observed: `${brief(r)} after ${Math.round(r.durationMs)} ms`, pass: r.reason === 'timeout' };
    },
  },
  {
    name: 'print 200 MB',
    expected: 'capped, bytes cut reported',
    async run(w) {
      const r = await run(w, "head -c 209715200 /dev/zero | tr '\\0' x", 60_000);
      return { observed: `${brief(r)}; kept ${r.output.length} chars, cut ${r.bytesCut} bytes`, pass: r.bytesCut > 190 * 1024 * 1024 && r.output.length < 2 * 1024 * 1024 };
    },
  },
  {
    name: 'setsid sleep 1000 & left behind',
    expected: 'gone after the step',
    async run(w) {
      const marker = `patchloop-marker-${randomBytes(6).toString('hex')}`;
      const r = await run(w, `setsid sh -c 'sleep 1000; echo ${marker}' >/dev/null 2>&1 & echo started`);
      const found = await hostRun('pgrep', ['-f', marker]);
      if (found.code === 0) for (const pid of found.out.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
      return { observed: `${brief(r)}; ${found.code === 0 ? `STILL RUNNING (${found.out.trim()})` : 'no process left'}`, pass: found.code === 1 };
    },
  },
  {
    name: 'inherited file descriptors',
    expected: 'only stdin/stdout/stderr',
    async run(w) {
      // fd 3 is ls's own handle on the directory it lists.
      const r = await run(w, 'ls /proc/self/fd | tr "\\n" " "');
      const fds = r.output.trim().split(/\s+/).map(Number);
      return { observed: `fds: ${r.output.trim()}`, pass: fds.every((fd) => fd <= 3) };
    },
  },
  {
    name: 'open the controlling terminal (TIOCSTI injection)',
    expected: 'no controlling terminal',
    async run(w) {
      const r = await run(w, 'exec 3<>/dev/tty && echo OPENED');
      return { observed: lastLine(r.output) || brief(r), pass: !r.output.includes('OPENED') };
    },
  },
  {
    name: "read the user's checkout: .env, untracked file, .git/config, other worktree, trace folder",
    expected: 'none readable; git log in the worktree works',
    async run(w) {
      const r = w.repo;
      const cmd = [
        `cat '${r}/.env' '${r}/scratch-notes.txt' '${r}/.git/config' '${r}/.git/patchloop/worktrees/other/src/index.ts' '${r}/.git/patchloop/runs/other/trace.jsonl' 2>&1`,
        `grep -rs . '${r}' | grep -v /objects/`,
        'git config --list',
        'git log -1 --format=LOG:%s',
      ].join('; ');
      const out = (await run(w, cmd)).output;
      const leaked = Object.entries(CHECKOUT_SECRETS).filter(([, v]) => out.includes(v)).map(([k]) => k);
      const gitOk = out.includes('LOG:audit base');
      return { observed: `${leaked.length ? `LEAKED: ${leaked.join(', ')}` : 'none readable'}; git log ${gitOk ? 'works' : 'FAILED'}`, pass: leaked.length === 0 && gitOk };
    },
  },
  {
    name: 'write inside node_modules (vitest results cache, a package file)',
    expected: 'works inside, real node_modules unchanged',
    async run(w) {
      const skip = needs(w, 'isolated');
      if (skip) return { observed: skip, pass: false };
      const nm = path.join(w.repo, 'node_modules');
      const before = await snapshot(nm);
      const r = await run(w, [
        'mkdir -p node_modules/.vite/vitest node_modules/.vite-temp',
        'echo "{}" > node_modules/.vite/vitest/results.json',
        'echo "module.exports = 1;" > node_modules/dep/index.js',
        'cat node_modules/.vite/vitest/results.json node_modules/dep/index.js',
      ].join(' && '));
      const unchanged = (await snapshot(nm)) === before;
      return { observed: `inside exit ${r.exitCode}; real node_modules ${unchanged ? 'unchanged' : 'CHANGED'}`, pass: r.exitCode === 0 && unchanged };
    },
  },
  // Tool-layer attacks (src/tools/paths.ts): paths escaping the worktree, directly or by symlink.
  {
    name: 'tool read_file ../../etc/passwd',
    expected: 'refused by the tool layer',
    async run(w) {
      const r = await runToolCall(createToolset({ listFiles: async () => [] }), 'read_file', { path: '../../etc/passwd' }, { root: w.worktree });
      return { observed: r.ok ? 'READ' : lastLine(r.llmContent), pass: !r.ok && !r.llmContent.includes('root:') };
    },
  },
  {
    name: 'tool read/edit through a symlink to outside',
    expected: 'refused by the tool layer',
    async run(w) {
      const link = path.join(w.worktree, 'innocent.txt');
      await fs.symlink(path.join(w.home, '.ssh', 'id_rsa'), link).catch(() => undefined);
      const tools = createToolset({ listFiles: async () => [] });
      const read = await runToolCall(tools, 'read_file', { path: 'innocent.txt' }, { root: w.worktree });
      const edit = await runToolCall(tools, 'str_replace', { path: 'innocent.txt', old_str: 'audit', new_str: 'pwned' }, { root: w.worktree });
      const key = await fs.readFile(path.join(w.home, '.ssh', 'id_rsa'), 'utf8');
      await fs.rm(link, { force: true });
      const pass = !read.ok && !edit.ok && !read.llmContent.includes('audit-fake-key') && key === SSH_KEY;
      return { observed: `read ${read.ok ? 'ALLOWED' : 'refused'}, edit ${edit.ok ? 'ALLOWED' : 'refused'}`, pass };
    },
  },
];

/** Runs every attack (or those whose name matches `only`) and returns one row each. */
export async function runAttacks(w: AttackWorld, only?: RegExp): Promise<AttackRow[]> {
  const rows: AttackRow[] = [];
  for (const a of ATTACKS) {
    if (only && !only.test(a.name)) continue;
    try {
      const r = await a.run(w);
      rows.push({ attack: a.name, expected: a.expected, ...r });
    } catch (err) {
      rows.push({ attack: a.name, expected: a.expected, observed: `audit error: ${(err as Error).message}`, pass: false });
    }
  }
  return rows;
}
