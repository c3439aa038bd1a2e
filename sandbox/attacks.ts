/**
 * The sandbox attack list, shared by `npm run sandbox:audit` (sandbox/audit.ts) and the vitest suite
 * (test/sandbox/audit.test.ts). Each attack runs inside the given sandbox against a throwaway world
 * (sandbox/attack-world.ts: a fake HOME with fake credentials, a real checkout with a run's
 * worktree, a host TCP listener, fake API keys in the parent env) and says what it expected and
 * what it observed. The checkout and node_modules cases live in sandbox/checkout-attacks.ts.
 * Destructive attacks refuse to run on a sandbox that is not isolated (they would hit the host).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createToolset, runToolCall } from '../src/tools/index.ts';
import { brief, FAKE_KEYS, lastLine, needs, run, SSH_KEY, type Attack, type AttackRow, type AttackWorld } from './attack-world.ts';
import { CHECKOUT_ATTACKS } from './checkout-attacks.ts';

export { CHECKOUT_SECRETS, createAttackWorld, FAKE_KEYS, type Attack, type AttackRow, type AttackWorld } from './attack-world.ts';

const hostRun = (cmd: string, args: string[]): Promise<{ code: number; out: string }> =>
  new Promise((r) => execFile(cmd, args, (err, out) => r({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out })));

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
  ...CHECKOUT_ATTACKS,
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
