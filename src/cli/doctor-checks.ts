/**
 * `patchloop doctor`: each check returns PASS / WARN / FAIL with the fix. Effects (running a
 * program, reading a file, PATH lookup) are injected so tests can hide bwrap or break a check.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { probeBwrap, whichSync } from '../sandbox/create.ts';
import { resolvePrice } from '../budget/prices.ts';
import { resolveModelConfig } from '../model/config.ts';
import { describeError } from '../errors.ts';
import { installCommand, SYSTEM_PACKAGES } from './system-packages.ts';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';
export interface Check { name: string; verdict: Verdict; detail: string; fix?: string }

export interface DoctorDeps {
  nodeVersion: string;
  env: Record<string, string | undefined>;
  cwd: string;
  which: (name: string) => string | null;
  run: (cmd: string, args: string[]) => Promise<{ ok: boolean; out: string }>;
  probeBwrap: (path: string) => Promise<string | null>;
  readFile: (path: string) => string | undefined;
}

export const realDoctorDeps = (env: Record<string, string | undefined>, cwd: string): DoctorDeps => ({
  nodeVersion: process.versions.node,
  env,
  cwd,
  which: (n) => whichSync(n, env['PATH'] ?? ''),
  run: (cmd, args) => new Promise((resolve) => execFile(cmd, args, { timeout: 20_000 }, (err, out, errOut) => resolve({ ok: !err, out: `${out}${errOut}` }))),
  probeBwrap,
  readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
});

const atLeast = (v: string, min: number[]) => {
  const parts = v.split('.').map((x) => parseInt(x, 10));
  for (let i = 0; i < min.length; i++) if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i]!;
  return true;
};

/** Ubuntu 24.04 restricts unprivileged user namespaces through AppArmor, which breaks bwrap. */
const APPARMOR_USERNS = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

export async function runDoctor(d: DoctorDeps): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push(atLeast(d.nodeVersion, [20, 19])
    ? { name: 'node', verdict: 'PASS', detail: `v${d.nodeVersion}` }
    : { name: 'node', verdict: 'FAIL', detail: `v${d.nodeVersion}`, fix: 'install Node 20.19 or newer' });

  const git = await d.run('git', ['--version']);
  const gv = /(\d+\.\d+(?:\.\d+)?)/.exec(git.out)?.[1] ?? '';
  checks.push(git.ok && atLeast(gv, [2, 25])
    ? { name: 'git', verdict: 'PASS', detail: gv }
    : { name: 'git', verdict: 'FAIL', detail: git.ok ? gv : 'not found', fix: 'install git 2.25 or newer (worktrees)' });

  const bwrap = d.which('bwrap');
  if (!bwrap) {
    checks.push({ name: 'sandbox', verdict: 'WARN', detail: 'bwrap not on PATH: runs fall back to the process backend, which does NOT isolate tests', fix: installCommand(SYSTEM_PACKAGES.filter((p) => p.bin === 'bwrap')) });
  } else {
    const failure = await d.probeBwrap(bwrap);
    if (failure === null) checks.push({ name: 'sandbox', verdict: 'PASS', detail: `bwrap at ${bwrap} creates namespaces` });
    else {
      const restricted = d.readFile(APPARMOR_USERNS)?.trim() === '1';
      checks.push({
        name: 'sandbox', verdict: 'WARN', detail: `bwrap cannot create namespaces: ${failure}${restricted ? ' (AppArmor restricts unprivileged user namespaces)' : ''}`,
        fix: restricted ? 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or an AppArmor profile allowing userns for bwrap)' : 'check that user namespaces are enabled (sysctl kernel.unprivileged_userns_clone=1)',
      });
    }
  }

  // Not needed to run patchloop; listed so a contributor learns before `npm test` tells them.
  for (const p of SYSTEM_PACKAGES.filter((x) => x.neededBy === 'tests')) {
    const at = d.which(p.bin);
    checks.push(at
      ? { name: p.pkg, verdict: 'PASS', detail: `${at} (only needed by the tests: ${p.why})` }
      : { name: p.pkg, verdict: 'WARN', detail: `${p.bin} not on PATH: only needed by the tests (${p.why})`, fix: installCommand([p]) });
  }

  const ivm = await d.run(process.execPath, ['--no-node-snapshot', '-e', "const i=new (require('isolated-vm').Isolate)({memoryLimit:16});process.stdout.write(String(i.compileScriptSync('6*7').runSync(i.createContextSync())))"].map(String));
  checks.push(ivm.ok && ivm.out.includes('42')
    ? { name: 'isolated-vm', verdict: 'PASS', detail: 'loads and runs a script' }
    : { name: 'isolated-vm', verdict: 'FAIL', detail: ivm.out.split('\n')[0] ?? 'failed', fix: 'npm rebuild isolated-vm (5.0.x on Node 20)' });

  try {
    const cfg = await resolveModelConfig({ cwd: d.cwd, env: d.env });
    checks.push({ name: 'config', verdict: 'PASS', detail: cfg.file ? `${cfg.file} is valid` : 'no config file (defaults)' });
    for (const entry of cfg.chain) {
      if (entry.provider === 'replay') continue;
      const keyEnv = entry.apiKeyEnv ?? (entry.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
      const set = Boolean(d.env[keyEnv]?.trim());
      checks.push(set
        ? { name: `key ${keyEnv}`, verdict: 'PASS', detail: 'set (not shown)' }
        : { name: `key ${keyEnv}`, verdict: 'WARN', detail: `not set: ${entry.provider} calls will fail`, fix: `export ${keyEnv}=…, or use --provider replay offline` });
      const model = entry.model ?? (entry.provider === 'anthropic' ? 'claude-sonnet-5-5' : undefined);
      if (model) {
        checks.push(resolvePrice(model, cfg.prices)
          ? { name: `price ${model}`, verdict: 'PASS', detail: 'priced' }
          : { name: `price ${model}`, verdict: 'FAIL', detail: 'no price: cost and USD budgets cannot be computed', fix: `add "prices": {"${model}": {…}} to the config` });
      }
    }
  } catch (err) {
    checks.push({ name: 'config', verdict: 'FAIL', detail: describeError(err), fix: 'fix the named key, or delete the file to use defaults' });
  }
  return checks;
}

