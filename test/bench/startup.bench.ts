/**
 * CLI start-up benchmark (a plain tsx script): `npx tsx test/bench/startup.bench.ts [runs]`.
 * Median wall ms (spawn to exit, as a shell sees it) and peak RSS MB (the child's own maxRSS,
 * reported at exit by a one-line preload) over ≥ 10 runs each of `--help`, `--version`, `runs` and
 * `show <id>` of the built executable; then the time from spawning `patchloop run` (validation and
 * sandbox on) on a small repository to its first request reaching a local Anthropic server.
 * Goals (issue 13): the four commands median ≤ 250 ms and ≤ 100 MB; first model request ≤ 700 ms.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnthropicServer } from '../support/anthropic-server.ts';
import { TRACE_FORMAT_VERSION } from '../../src/trace/trajectory.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'dist/cli/patchloop.mjs');
const RUNS = Math.max(10, Number(process.argv[2] ?? 15));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Writes the process's peak RSS (KB) to fd 3 as it exits.
const RSS_PRELOAD = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}})`;

spawnSync(process.execPath, [path.join(ROOT, 'src/cli/build.mjs'), '--if-stale'], { stdio: 'inherit' });

/** A repository with one finished-looking run folder, so `show` has a trajectory to print. */
function fixture(): { repo: string; runsDir: string; runId: string } {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'patchloop-bench-startup-'));
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'small', type: 'module', scripts: { test: 'node --test' } }));
  mkdirSync(path.join(repo, 'src'));
  writeFileSync(path.join(repo, 'src/add.ts'), 'export const add = (a: number, b: number): number => a - b;\n');
  writeFileSync(path.join(repo, 'src/add.test.mjs'), "import test from 'node:test';\nimport assert from 'node:assert';\ntest('add', () => assert.equal(1 + 2, 3));\n");
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n.runs*\n');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init'], { cwd: repo });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
  const runsDir = path.join(repo, '.runs');
  const runId = 'bench-run';
  mkdirSync(path.join(runsDir, runId), { recursive: true });
  writeFileSync(path.join(runsDir, runId, 'run.json'), JSON.stringify({ formatVersion: 1, runId, options: { task: 'fix add' }, startedAt: new Date().toISOString() }));
  const trace = [
    { type: 'state', state: 'plan', iteration: 0 },
    ...Array.from({ length: 40 }, (_, i) => ({ type: 'warning', message: `step ${i}: a line of the trajectory` })),
    { type: 'run_end', status: 'resolved', iterations: 1, usd: 0.0123, ms: 4200 },
  ];
  writeFileSync(path.join(runsDir, runId, 'trajectory.jsonl'), trace.map((l) => JSON.stringify({ v: TRACE_FORMAT_VERSION, ...l })).join('\n') + '\n');
  return { repo, runsDir, runId };
}

function once(args: string[], cwd: string, script: string[] = [BIN]): Promise<{ ms: number; rssMb: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_PRELOAD, ...script, ...args], { cwd, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    let rss = '';
    child.stdio[3]!.on('data', (d) => (rss += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, rssMb: Number(rss) / 1024, code }));
  });
}

async function firstRequestMs(repo: string): Promise<number> {
  let t0 = 0;
  let first = 0;
  const server = await startAnthropicServer({ script: () => ({ kind: 'message', content: [{ type: 'text', text: 'Plan: nothing.' }] }) });
  const seen = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (server.requests.length > 0) {
        first = performance.now() - t0;
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'run', '--repo', repo, '--task', 'make add add', '--test-cmd', 'node --test', '--provider', 'anthropic', '--base-url', server.baseURL, '--runs-dir', path.join(repo, '.runs-first')], {
    cwd: repo, env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-bench' }, stdio: 'ignore',
  });
  await Promise.race([seen, new Promise((r) => setTimeout(r, 30_000))]);
  if (!first) throw new Error('patchloop run sent no model request within 30 s');
  child.kill('SIGKILL');
  await server.close();
  return first;
}

const { repo, runsDir, runId } = fixture();
const cases: Array<[string, string[]]> = [['--help', ['--help']], ['--version', ['--version']], ['runs', ['runs', '--runs-dir', runsDir]], ['show <id>', ['show', runId, '--runs-dir', runsDir]]];
console.log(`CLI start-up, ${RUNS} runs each (built CLI in dist/, ${os.cpus().length} cores):`);
console.log(`${'command'.padEnd(12)} ${'median ms'.padStart(10)} ${'max RSS MB'.padStart(11)}  goal ≤ 250 ms, ≤ 100 MB`);
// The floor on this machine right now: node starting and exiting with nothing to do.
const floor = [];
for (let i = 0; i < RUNS; i++) floor.push(await once([], repo, ['-e', '0']));
console.log(`${'(node -e 0)'.padEnd(12)} ${median(floor.map((r) => r.ms)).toFixed(0).padStart(10)} ${Math.max(...floor.map((r) => r.rssMb)).toFixed(0).padStart(11)}`);
for (const [name, args] of cases) {
  const rs = [];
  for (let i = 0; i < RUNS; i++) rs.push(await once(args, repo));
  if (rs.some((r) => r.code !== 0)) console.log(`  (${name} exited ${rs.find((r) => r.code !== 0)!.code})`);
  console.log(`${name.padEnd(12)} ${median(rs.map((r) => r.ms)).toFixed(0).padStart(10)} ${Math.max(...rs.map((r) => r.rssMb)).toFixed(0).padStart(11)}`);
}
const firsts = [];
for (let i = 0; i < 5; i++) firsts.push(await firstRequestMs(repo));
console.log(`patchloop run: first model request ${median(firsts).toFixed(0)} ms after spawn (median of 5; goal ≤ 700 ms)`);
