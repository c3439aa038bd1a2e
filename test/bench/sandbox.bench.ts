/**
 * Sandbox benchmarks (a plain tsx script, not a vitest test): `npx tsx test/bench/sandbox.bench.ts`.
 * 1. bwrap overhead on a real one-test vitest run (bare vs sandbox, 10 runs each, interleaved) — goal ratio ≤ 1.10.
 *    The temp repository is a git checkout with a `vitest.config.ts` (vite bundles it into
 *    node_modules/.vite-temp on every run), so the sandboxed runs go through the node_modules
 *    overlay layer and the checkout masking, as a run's test step does.
 *    A second, config-less project is run sandboxed with the overlay and with node_modules read-only
 *    (no layer), interleaved, to show what the layer itself costs.
 *    `--vitest-only` stops after section 1.
 * 2. isolated-vm pre-check: create isolate + load bundle + 10 assertions, timed inside the runner
 *    process (goal p50 ≤ 20 ms), and the full round trip from the loop (bundle + child process) separately
 * 3. `true` under plain spawn, bare bwrap, and the full Sandbox.run (cgroups + prlimit + private tmp)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBwrapArgs } from '../../src/sandbox/bwrap-args.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { linkDependencies } from '../../src/sandbox/dependencies.ts';
import { bundleForIsolate, callRunner, runIsolatedChecks } from '../../src/sandbox/isolate.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => quantile(xs, 0.5);
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function timeSpawn(cmd: string, args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { cwd, stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

const base = await fs.mkdtemp(path.join(os.tmpdir(), 'patchloop-bench-'));
const rows: [string, string, string][] = [];
try {
  const proj = path.join(base, 'tiny');
  await fs.mkdir(proj);
  await fs.writeFile(path.join(proj, 'package.json'), '{"type":"module","private":true}');
  await fs.writeFile(path.join(proj, 'add.test.js'), `import { it, expect } from 'vitest'; it('adds', () => expect(1 + 1).toBe(2));`);
  await fs.writeFile(path.join(proj, 'vitest.config.ts'), `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['*.test.js'] } });\n`);
  await fs.writeFile(path.join(proj, '.gitignore'), 'node_modules\n');
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init']]) await timeSpawn('git', args, proj);
  linkDependencies(repoRoot, proj);
  const sandbox = await createSandbox({ backend: 'bwrap', warn: (l) => console.error(l) });
  const vitestCmd = 'node node_modules/vitest/vitest.mjs run';

  // 1. vitest bare vs bwrap, interleaved so drift on a shared machine hits both alike.
  await timeSpawn('/bin/sh', ['-c', vitestCmd], proj); // warm the page cache
  const bare: number[] = [];
  const boxed: number[] = [];
  for (let i = 0; i < 10; i++) {
    bare.push(await timeSpawn('/bin/sh', ['-c', vitestCmd], proj));
    const t0 = performance.now();
    const r = await sandbox.run({ command: vitestCmd, cwd: proj, timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`vitest in bwrap failed: ${r.output.slice(-500)}`);
    boxed.push(performance.now() - t0);
  }
  rows.push(['vitest one-test run, bare (median of 10)', ms(median(bare)), '']);
  rows.push(['vitest one-test run (vitest.config.ts), Sandbox.run bwrap + node_modules overlay (median of 10)', ms(median(boxed)), `ratio ${(median(boxed) / median(bare)).toFixed(3)} (goal ≤ 1.10)`]);

  // 1b. The layer's own cost: the same sandbox with and without it, on a project that needs no writes.
  const noConfig = path.join(base, 'plain');
  await fs.mkdir(noConfig);
  await fs.writeFile(path.join(noConfig, 'package.json'), '{"type":"module","private":true}');
  await fs.writeFile(path.join(noConfig, 'add.test.js'), `import { it, expect } from 'vitest'; it('adds', () => expect(1 + 1).toBe(2));`);
  linkDependencies(repoRoot, noConfig);
  const readOnly = await createSandbox({ backend: 'bwrap', warn: () => undefined, probeOverlay: async () => 'disabled by the benchmark' });
  const layered: number[] = [];
  const ro: number[] = [];
  for (let i = 0; i < 10; i++) {
    for (const [sb, into] of [[sandbox, layered], [readOnly, ro]] as const) {
      const t0 = performance.now();
      const r = await sb.run({ command: vitestCmd, cwd: noConfig, timeoutMs: 60_000 });
      if (r.exitCode !== 0) throw new Error(`vitest in bwrap failed: ${r.output.slice(-500)}`);
      into.push(performance.now() - t0);
    }
  }
  rows.push(['vitest one-test run (no config), Sandbox.run bwrap, node_modules read-only (median of 10)', ms(median(ro)), '']);
  rows.push(['vitest one-test run (no config), Sandbox.run bwrap + node_modules overlay (median of 10)', ms(median(layered)), `ratio ${(median(layered) / median(ro)).toFixed(3)} vs read-only`]);
  if (!process.argv.includes('--vitest-only')) {
    // 2. isolated-vm: 10 assertions against a bundled pure module.
    const entry = path.join(base, 'mod.ts');
    await fs.writeFile(entry, 'export const add = (a: number, b: number): number => a + b;\nexport const words = (s: string): string[] => s.split(/\\s+/).filter(Boolean);\n');
    const checks = Array.from({ length: 10 }, (_, i) => `check('c${i}', () => expect(mod.add(${i}, 1)).toBe(${i + 1}));`).join('\n');
    const bundle = await bundleForIsolate(entry);
    const inside = await callRunner({ mode: 'checks', bundle, checks, memoryLimitMb: 64, timeoutMs: 1000, repeat: 50 }, 1000);
    const t = inside.timingsMs ?? [];
    if (inside.checks.filter((c) => c.passed).length !== 10) throw new Error(`isolate checks failed: ${JSON.stringify(inside)}`);
    rows.push(['isolate: create + load bundle + 10 assertions, inside runner (50 runs)', `p50 ${ms(median(t))}`, `p95 ${ms(quantile(t, 0.95))}; first ${ms(t[0] ?? NaN)} (goal p50 ≤ 20 ms)`]);
    const trip: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await callRunner({ mode: 'checks', bundle, checks, memoryLimitMb: 64, timeoutMs: 1000 }, 1000);
      trip.push(performance.now() - t0);
      full.push((await runIsolatedChecks({ entry, checks, memoryLimitMb: 64, timeoutMs: 1000 })).durationMs);
    }
    rows.push(['isolate: child-process round trip (spawn node + run), 10 runs', `p50 ${ms(median(trip))}`, `p95 ${ms(quantile(trip, 0.95))}`]);
    rows.push(['isolate: runIsolatedChecks incl. esbuild bundle, 10 runs', `p50 ${ms(median(full))}`, `p95 ${ms(quantile(full, 0.95))}`]);

    // 3. `true`.
    const bwrapArgs = buildBwrapArgs({
      cwd: proj, privateTmp: base, maskedDirs: [], readOnlyPaths: [], replacedFiles: [], overlayPaths: [], hiddenDirs: [], hiddenFiles: [], network: false,
      sandboxUid: 65534, sandboxGid: 65534, env: { PATH: '/usr/bin:/bin' }, argv: ['true'],
    });
    const plain: number[] = [];
    const bw: number[] = [];
    const sb: number[] = [];
    for (let i = 0; i < 30; i++) {
      plain.push(await timeSpawn('true', [], proj));
      bw.push(await timeSpawn('bwrap', bwrapArgs, proj));
      const t0 = performance.now();
      await sandbox.run({ command: 'true', cwd: proj, timeoutMs: 10_000 });
      sb.push(performance.now() - t0);
    }
    rows.push(['`true`: plain spawn (median of 30)', ms(median(plain)), '']);
    rows.push(['`true`: bwrap with the policy flags (median of 30)', ms(median(bw)), '']);
    rows.push(['`true`: full Sandbox.run (cgroups, prlimit, tmp dir) (median of 30)', ms(median(sb)), '']);
  }
} finally {
  await fs.rm(base, { recursive: true, force: true });
}

const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(`sandbox benchmarks — ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString()}`);
for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join(' | '));
