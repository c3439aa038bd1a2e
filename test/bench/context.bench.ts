/**
 * Context bench (no model): how well the repo map and `localize` find the code a task needs, versus
 * a text-search baseline, on (a) the gold tasks under tasks/ and (b) instances mined from local git
 * mirrors (`PATCHLOOP_MIRROR`, default /work/.mirror; or a SWE-bench-style JSONL from
 * `patchloop tasks mine` in `PATCHLOOP_BENCH_INSTANCES`). Prints file recall@k, file recall and symbol
 * recall within 4k/8k-token maps, and index build times.
 * With `--replay` it then runs the demo's replay transcripts (slow) for input tokens and cache-read
 * share per task; run test/bench/context/replay-usage.ts on an older checkout for "before".
 *   npx tsx test/bench/context.bench.ts [--per-repo N] [--replay]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRepoIndex, localize, type RepoIndex } from '../../src/context/localize.ts';
import { isTestFile } from '../../src/context/rank.ts';
import { gitFileLister } from '../../src/tools/files.ts';
import { mineInstances, patchChangedLines, type MinedInstance } from './context/mine.ts';
import { goldSymbols, scoreRanking, textSearchRanking, type InstanceScore } from './context/score.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KS = [1, 3, 5, 10];
const BUDGETS = [4096, 8192];
const MIRROR = process.env.PATCHLOOP_MIRROR ?? '/work/.mirror';
const MIRROR_REPOS = ['unjs/ufo', 'unjs/mlly', 'remeda/remeda', 'unjs/defu', 'unjs/pathe', 'radashi-org/radashi', 'toss/es-toolkit'];
const perRepo = Number(process.argv[process.argv.indexOf('--per-repo') + 1]) || 12;

interface Case { id: string; task: string; tests?: string[]; patch: string }
interface Row { set: string; ours: InstanceScore; base: InstanceScore; buildMs: number; cpuMs: number; files: number }

/** Builds an index, timing wall clock and this process's CPU (the machine is shared: CPU is the steadier figure). */
function timedIndex(root: string, files: string[]): { index: RepoIndex; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const index = buildRepoIndex(root, files);
  const cpu = process.cpuUsage(cpu0);
  return { index, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

function evaluate(set: string, index: RepoIndex, c: Case, rows: Row[], cpuMs = 0): void {
  const changed = patchChangedLines(c.patch);
  const gold = [...changed.keys()].filter((f) => !isTestFile(f) && index.graph.files.has(f));
  if (gold.length === 0) return;
  const symbols = goldSymbols(index, changed);
  const ours = localize(index, { task: c.task, tests: c.tests });
  const notes = index.program.notes;
  rows.push({
    set, buildMs: index.buildMs, cpuMs, files: index.program.files.length,
    ours: scoreRanking(ours.ranked, gold, symbols, BUDGETS, notes),
    base: scoreRanking(textSearchRanking(index, [c.task, ...(c.tests ?? [])].join('\n')), gold, symbols, BUDGETS, notes),
  });
}

async function goldTasks(rows: Row[]): Promise<void> {
  const dir = path.join(ROOT, 'tasks');
  for (const id of readdirSync(dir).sort()) {
    const taskFile = path.join(dir, id, 'task.json');
    if (!existsSync(taskFile)) continue;
    const task = JSON.parse(readFileSync(taskFile, 'utf8')) as { prompt: string; FAIL_TO_PASS: string[] };
    const repo = path.join(dir, id, 'repo');
    const index = buildRepoIndex(repo, await gitFileLister(repo));
    const patch = readFileSync(path.join(dir, id, 'reference.patch'), 'utf8');
    evaluate('gold: task text', index, { id, task: task.prompt, patch }, rows);
    evaluate('gold: + FAIL_TO_PASS', index, { id, task: task.prompt, tests: task.FAIL_TO_PASS, patch }, rows);
  }
}

function loadInstances(): MinedInstance[] {
  const file = process.env.PATCHLOOP_BENCH_INSTANCES;
  if (file) return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as MinedInstance);
  return MIRROR_REPOS.flatMap((repo) => {
    const gitDir = path.join(MIRROR, repo.replace('/', '+'), 'repo');
    return existsSync(gitDir) ? mineInstances(gitDir, repo, perRepo) : [];
  });
}

async function minedInstances(rows: Row[]): Promise<number> {
  const instances = loadInstances();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'patchloop-context-bench-'));
  try {
    for (const inst of instances) {
      const work = path.join(scratch, inst.repo.replace('/', '+'));
      if (!existsSync(work)) execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', path.join(MIRROR, inst.repo.replace('/', '+'), 'repo'), work]);
      execFileSync('git', ['-C', work, 'checkout', '-q', '--force', inst.base_commit]);
      execFileSync('git', ['-C', work, 'clean', '-qfdx']);
      const { index, cpuMs } = timedIndex(work, await gitFileLister(work));
      const set = inst.repo;
      evaluate(`mined: task text (${set})`, index, { id: inst.instance_id, task: inst.problem_statement, patch: inst.patch }, rows, cpuMs);
      evaluate(`mined: + test files (${set})`, index, { id: inst.instance_id, task: inst.problem_statement, tests: inst.FAIL_TO_PASS, patch: inst.patch }, rows);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return instances.length;
}

const pct = (x: number, n: number) => (n === 0 ? '  n/a' : `${((100 * x) / n).toFixed(0).padStart(4)}%`);

function report(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const n = rows.length;
  const line = (who: 'ours' | 'base') => {
    const at = KS.map((k) => pct(rows.filter((r) => r[who].worstRank <= k).length, n)).join(' ');
    const inMap = BUDGETS.map((b) => pct(rows.filter((r) => r[who].filesInMap[b]).length, n)).join(' ');
    const sym = BUDGETS.map((b) => {
      const found = rows.reduce((a, r) => a + r[who].symbolsInMap[b]!.found, 0);
      return pct(found, rows.reduce((a, r) => a + r[who].symbolsInMap[b]!.total, 0));
    }).join(' ');
    return `  ${who === 'ours' ? 'repo map   ' : 'text search'}  recall@1,3,5,10 ${at} | files in map 4k,8k ${inMap} | symbols in map 4k,8k ${sym}`;
  };
  const symbolsTotal = rows.reduce((a, r) => a + r.ours.symbolsInMap[BUDGETS[0]!]!.total, 0);
  console.log(`${title} — ${n} instances, ${symbolsTotal} gold symbols`);
  console.log(line('ours'));
  console.log(line('base'));
}

const rows: Row[] = [];
await goldTasks(rows);
const mined = await minedInstances(rows);
console.log(`context bench ${new Date().toISOString().slice(0, 10)} (file recall@k = all gold files in the top k non-test files)`);
const sets = [...new Set(rows.map((r) => r.set))];
for (const s of sets) report(s, rows.filter((r) => r.set === s));
report('ALL mined: task text', rows.filter((r) => r.set.startsWith('mined: task text')));
report('ALL mined: + test files', rows.filter((r) => r.set.startsWith('mined: + test')));
const builds = rows.filter((r) => r.set.startsWith('mined: task')).map((r) => [r.files, r.buildMs] as const);
for (const repo of MIRROR_REPOS) {
  const b = rows.filter((r) => r.set === `mined: task text (${repo})`);
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1];
  if (b.length) console.log(`index build ${repo}: ${b[0]!.files} files, median ${median(b.map((r) => r.buildMs))} ms wall, ${median(b.map((r) => r.cpuMs))} ms CPU (load ${os.loadavg()[0]!.toFixed(1)})`);
}
console.log(`${mined} mined instances read; ${builds.length} scored (instances whose gold files are all new or unparsed are skipped)`);
if (process.argv.includes('--replay')) {
  console.log('\nreplay (demo transcripts, estimated usage with simulated prompt caching):');
  spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/bench/context/replay-usage.ts')], { stdio: 'inherit' });
}
