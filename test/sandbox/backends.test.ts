import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';

const keys = { ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_API_KEY: 'sk-test', GITHUB_TOKEN: 'ghp_test', NPM_TOKEN: 'npm_test' };
const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', ...keys };
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'patchloop-backends-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.each(['bwrap', 'process'] as const)('%s backend', (backend) => {
  const make = (warn: (l: string) => void = () => undefined) => createSandbox({ backend, warn, hostEnv, home: dir });

  it('runs a command in the cwd and reports its exit', async () => {
    const sb = await make();
    const r = await sb.run({ command: 'pwd; exit 3', cwd: dir, timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 3, reason: 'exit', backend, bytesCut: 0 });
    expect(r.output.trim()).toBe(dir);
  });

  it('API keys in the parent are not visible to the child, spec.env secrets dropped', async () => {
    const sb = await make();
    const r = await sb.run({ command: 'env', cwd: dir, timeoutMs: 5000, env: { FOO: 'bar', MY_SECRET: 'x' } });
    for (const [k, v] of Object.entries(keys)) {
      expect(r.output).not.toContain(k);
      expect(r.output).not.toContain(v);
    }
    expect(r.output).toContain('FOO=bar');
    expect(r.output).not.toContain('MY_SECRET');
    expect(r.output).toContain('TERM=dumb');
  });

  it('a hanging command is killed at the timeout, with its whole process group', async () => {
    const sb = await make();
    const r = await sb.run({ command: 'sleep 30 & sleep 30', cwd: dir, timeoutMs: 300 });
    expect(r.reason).toBe('timeout');
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('huge output is capped, head and tail kept, the cut reported', async () => {
    const sb = await make();
    const r = await sb.run({ command: "echo START; head -c 5000000 /dev/zero | tr '\\0' x; echo; echo END", cwd: dir, timeoutMs: 10_000, maxOutputBytes: 1000 });
    expect(r.reason).toBe('exit');
    expect(r.output.startsWith('START')).toBe(true);
    expect(r.output.trimEnd().endsWith('END')).toBe(true);
    expect(r.bytesCut).toBe(6 + 5_000_000 + 1 + 4 - 1000);
    expect(r.output).toContain(`${r.bytesCut} bytes cut`);
  });

  it('a process started with setsid and left behind is gone after the step', async () => {
    const sb = await make();
    const marker = `patchloop-left-${backend}-${process.pid}`;
    const r = await sb.run({ command: `setsid sh -c 'sleep 1000; echo ${marker}' >/dev/null 2>&1 & echo started`, cwd: dir, timeoutMs: 5000 });
    expect(r.output.trim()).toBe('started');
    const left = spawnSync('pgrep', ['-f', marker]);
    expect(left.status).toBe(1); // pgrep: no process matched
  });

  it('the cpu-seconds and file-size rlimits end the command with their reasons', async () => {
    const sb = await createSandbox({ backend, warn: () => undefined, hostEnv, home: dir, limits: { cpuSeconds: 1, fileSizeMb: 1 } });
    const cpu = await sb.run({ command: 'node -e "while(true){}"', cwd: dir, timeoutMs: 20_000 });
    expect(cpu.reason).toBe('limit:cpu');
    const big = await sb.run({ command: 'head -c 3000000 /dev/zero > "$TMPDIR/big"', cwd: dir, timeoutMs: 10_000 });
    expect(big.reason).toBe('limit:file-size');
  });

  it('an abort signal ends the command with reason aborted', async () => {
    const sb = await make();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await sb.run({ command: 'sleep 30', cwd: dir, timeoutMs: 20_000, signal: ac.signal });
    expect(r.reason).toBe('aborted');
  });

  it('a bad cwd is an EnvironmentError naming the fix', async () => {
    const sb = await make();
    await expect(sb.run({ command: 'true', cwd: 'relative/dir', timeoutMs: 1000 })).rejects.toThrow(/not an existing absolute directory/);
    await expect(sb.run({ command: 'true', cwd: dir, timeoutMs: 2 ** 31 })).rejects.toThrow(/timeoutMs must be a number of ms in 1\.\.2147483647/);
  });
});

describe('backend selection', () => {
  it('the process backend warns that it is not isolated and says so', async () => {
    const warnings: string[] = [];
    const sb = await createSandbox({ backend: 'process', warn: (l) => warnings.push(l) });
    expect(sb.isolated).toBe(false);
    expect(warnings[0]).toMatch(/^sandbox: process backend — the run is NOT isolated \(selected explicitly\)/);
  });

  it('auto falls back to process with a warning when bwrap is missing', async () => {
    const warnings: string[] = [];
    const sb = await createSandbox({ warn: (l) => warnings.push(l), which: (n) => (n === 'bwrap' ? null : `/usr/bin/${n}`) });
    expect(sb.backend).toBe('process');
    expect(warnings[0]).toContain('NOT isolated (fallback: bwrap not found on PATH');
  });

  it('auto falls back when the probe fails; explicit bwrap then throws instead', async () => {
    const warnings: string[] = [];
    const probe = async () => 'bwrap: setting up uid map: Permission denied';
    const sb = await createSandbox({ warn: (l) => warnings.push(l), probe });
    expect(sb.backend).toBe('process');
    expect(warnings[0]).toContain('Permission denied');
    await expect(createSandbox({ backend: 'bwrap', warn: () => undefined, probe })).rejects.toBeInstanceOf(EnvironmentError);
  });

  it('auto picks bwrap here, silently', async () => {
    const warnings: string[] = [];
    const sb = await createSandbox({ warn: (l) => warnings.push(l) });
    expect([sb.backend, sb.isolated, warnings]).toEqual(['bwrap', true, []]);
  });

  it('rejects an unknown backend name', async () => {
    await expect(createSandbox({ backend: 'docker' as 'bwrap', warn: () => undefined })).rejects.toThrow(/use bwrap, process or auto/);
  });
});

describe('limit enforcement reporting', () => {
  it('warns, naming each limit, when no cgroup can be used', async () => {
    const warnings: string[] = [];
    const sb = await createSandbox({ backend: 'bwrap', warn: (l) => warnings.push(l), useCgroups: false });
    expect(sb.enforcement.memory).toBe('none');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^sandbox: limits not enforced here .*memory/);
    if (process.getuid?.() === 0) expect(warnings[0]).toContain('process count');
  });
});

describe('bwrap filesystem and network policy', () => {
  it('the worktree is writable; writes into the linked node_modules stay in a throwaway layer', async () => {
    const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
    const wt = await fs.mkdtemp(path.join(dir, 'wt-'));
    linkDependencies(repo, wt);
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined });
    const probe = `patchloop-probe-${process.pid}`;
    const r = await sb.run({ command: `echo ok > made.txt && ls node_modules/vitest/package.json && touch node_modules/${probe} && ls node_modules/${probe}`, cwd: wt, timeoutMs: 5000 });
    const leaked = await fs.rm(path.join(repo, 'node_modules', probe)).then(() => true, () => false);
    expect(leaked).toBe(false);
    expect(await fs.readFile(path.join(wt, 'made.txt'), 'utf8')).toBe('ok\n');
    expect(r.output).toContain('node_modules/vitest/package.json');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(`node_modules/${probe}`);
  });

  it('network: true (the setup step) reaches a host listener; the default does not', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    const sb = await createSandbox({ backend: 'bwrap', warn: () => undefined });
    const command = `node -e "require('net').connect(${port},'127.0.0.1').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(3)})"`;
    try {
      const open = await sb.run({ command, cwd: dir, timeoutMs: 10_000, network: true });
      const closed = await sb.run({ command, cwd: dir, timeoutMs: 10_000 });
      expect([open.output.trim(), closed.output.trim()]).toEqual(['CONNECTED', 'ECONNREFUSED']);
    } finally {
      server.close();
    }
  });
});
