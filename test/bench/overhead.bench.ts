/**
 * Harness overhead on real repositories (issue 13): `npx tsx test/bench/overhead.bench.ts
 * [--only owner/name] [--max N] [--runs R] [--corpus DIR] [--latency-ms MS]`.
 * For each instance of tasks/real/corpus.json (default: round-robin over the repositories, the first
 * DEFAULT_MAX), the gold patch is scripted as Anthropic tool_use replies on a local wire server, and
 * two processes are timed spawn → exit, R times each (default 4), alternating: `patchloop run` (built
 * CLI, bwrap sandbox, validation on, the instance's test command) and a bare loop (overhead-sides.ts,
 * ≤ 40 lines: SDK, fs edits, the same test command with child_process) in a plain checkout of the same
 * commit with the same installed node_modules; a third side, `patchloop run --no-validate`, shows what
 * the validation pipeline adds. Prints per instance the medians, their ratio, the machine CPU
 * seconds of each side with the floor that CPU sets on the ratio (patchloop's CPU / cores / bare
 * wall), and patchloop's wall-time split (summary.json `timing`), then the median ratio over
 * instances. Goal: ≤ 1.3×.
 * `--serial-too` adds a fourth side, `patchloop run --no-early-tests` (tests after validation, not with it).
 * `--latency-ms` makes every model reply of both sides wait that long (the goal is stated at 0).
 * Validation goes through the repository's warm validation server (src/validate/server) as a user's
 * runs do: the first patchloop run of an instance starts it (cold, printed as "first run"), the later
 * ones find it warm; the server is stopped after each instance. The ratio is the median of the warm
 * runs (R − 1) over the median of the bare runs (R); the cold run is reported on its own, not mixed
 * in (with R = 3 it made the "median" the slower of the two warm runs). `--no-validation-server` validates
 * in the run's own process every time (every run cold).
 * Exits 1 only when a side did not resolve (a broken measurement), not for missing the goal.
 * Instances are re-mined once (src/mine) and kept in ~/.cache/patchloop/bench-instances.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { defaultDepsCache } from '../../src/cli/commands/tasks-mine.ts';
import { sourceResolver } from '../../src/cli/commands/eval-instances.ts';
import { renderTiming } from '../../src/cli/render-timing.ts';
import { prepareRealRepo, patchFiles, taskText } from '../../src/eval/real-instance.ts';
import { hardenedGit, openRepo } from '../../src/git/repo.ts';
import { repositoryWorktrees } from '../../src/git/worktree.ts';
import { readCorpus, type CorpusEntry } from '../../src/mine/corpus.ts';
import { MinedInstanceSchema, type MinedInstance } from '../../src/mine/instance.ts';
import { mineRepository } from '../../src/mine/mine.ts';
import { editCalls, patchChanges } from '../../src/model/gold-edits.ts';
import type { TimeBreakdown } from '../../src/run/timing.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { stopServers } from '../../src/validate/server/admin.ts';
import { runBare, runPatchloop, writeBareLoop, type SideResult } from './overhead-sides.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Default subset size: ~10 instances over the corpus's 9 repositories keeps the bench near 10 min on 2 cores. */
const DEFAULT_MAX = 10;
/** Issue 13's goal for the median ratio patchloop / bare. */
const GOAL = 1.3;
const { values } = parseArgs({ options: { corpus: { type: 'string', default: '/work/.mirror' }, only: { type: 'string' }, max: { type: 'string' }, runs: { type: 'string', default: '4' }, 'latency-ms': { type: 'string', default: '0' }, 'serial-too': { type: 'boolean', default: false }, 'no-validation-server': { type: 'boolean', default: false }, file: { type: 'string', default: path.join(ROOT, 'tasks/real/corpus.json') } } });
const runs = Math.max(3, Number(values.runs));
/** Each model reply's wait on both sides, ms (0: the goal's case, a model that answers at once). */
const latencyMs = Math.max(0, Number(values['latency-ms']));
/** Extra flags of the validating side. */
const serverFlags = values['no-validation-server'] ? ['--no-validation-server'] : [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Round-robin over repositories in corpus order, so a prefix spans as many repositories as it can. */
function pick(entries: CorpusEntry[], max: number): CorpusEntry[] {
  const byRepo = [...new Set(entries.map((e) => e.repo))].map((r) => entries.filter((e) => e.repo === r));
  const out: CorpusEntry[] = [];
  for (let i = 0; out.length < Math.min(max, entries.length); i++) for (const list of byRepo) if (list[i] && out.length < max) out.push(list[i]!);
  return out;
}

/** The mined instances of `entries`, from the cache or re-mined (tests at parent and commit, in the sandbox). */
async function instancesOf(entries: CorpusEntry[], sandbox: Awaited<ReturnType<typeof createSandbox>>, cacheRoot: string, source: (r: string) => string): Promise<MinedInstance[]> {
  const dir = path.join(path.dirname(cacheRoot), 'bench-instances');
  mkdirSync(dir, { recursive: true });
  const cached = (e: CorpusEntry) => path.join(dir, `${e.commit}.json`);
  for (const repo of [...new Set(entries.filter((e) => !existsSync(cached(e))).map((e) => e.repo))]) {
    const want = entries.filter((e) => e.repo === repo && !existsSync(cached(e)));
    process.stderr.write(`mining ${repo}: ${want.length} commit(s) (once; cached in ${dir})\n`);
    const r = await mineRepository({ repo: source(repo), name: repo, commits: want.map((e) => e.commit), cacheRoot }, { sandbox });
    for (const inst of r.instances) writeFileSync(path.join(dir, `${inst.commit}.json`), JSON.stringify(inst));
  }
  return entries.flatMap((e) => {
    if (existsSync(cached(e))) return [MinedInstanceSchema.parse(JSON.parse(readFileSync(cached(e), 'utf8')))];
    process.stderr.write(`skip ${e.repo} ${e.commit.slice(0, 7)}: did not re-mine\n`);
    return [];
  });
}

spawnSync(process.execPath, [path.join(ROOT, 'src/cli/build.mjs'), '--if-stale'], { stdio: 'inherit' });
const sandbox = await createSandbox({ backend: 'bwrap', warn: (l) => process.stderr.write(`${l}\n`) });
const cacheRoot = defaultDepsCache();
const source = sourceResolver({ corpus: values.corpus });
const corpus = readCorpus(values.file!).instances.filter((e) => !values.only || e.repo === values.only);
const chosen = pick(corpus, values.max ? Number(values.max) : values.only ? corpus.length : DEFAULT_MAX);
const instances = await instancesOf(chosen, sandbox, cacheRoot, source);
const bareLoop = writeBareLoop();
console.log(`harness overhead: ${instances.length} instance(s) from ${new Set(instances.map((i) => i.repo)).size} repositories (${values.only ? `--only ${values.only}` : `round-robin subset of ${corpus.length}`}), ${runs} runs a side, alternating; model replies take ${latencyMs} ms; validation ${serverFlags.length ? "in the run's process" : "through the warm validation server"}; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log('instance'.padEnd(30), 'bare ms'.padStart(8), 'patchloop ms'.padStart(13), 'ratio'.padStart(6), 'first'.padStart(6), 'no-validate ms ×'.padStart(16), 'CPU s bare/pl/no-val'.padStart(21), 'floor'.padStart(6), ' patchloop split (its median run)');

const ratios: number[] = [];
/** The first patchloop run of each instance / bare: the one that starts the validation server (cold). */
const firstRatios: number[] = [];
/** `patchloop run --no-validate` / bare: the harness without the validation pipeline (a diagnostic, not the goal). */
const noValidateRatios: number[] = [];
/** `patchloop run --no-early-tests` / bare (with --serial-too): what starting the tests with validation saves. */
const serialRatios: number[] = [];
const bareMs: number[] = [];
/** Machine CPU seconds per side (medians per instance): bare, patchloop, --no-validate. */
const cpu = { bare: [] as number[], loop: [] as number[], noValidate: [] as number[] };
/**
 * The lowest ratio patchloop's CPU allows on this machine: its CPU time spread over every core,
 * divided by the bare loop's wall time (a run cannot end before its work is done).
 */
const floors: number[] = [];
const cores = os.cpus().length;
const splits: TimeBreakdown[] = [];
const noValidateSplits: TimeBreakdown[] = [];
let broken = 0;
for (const inst of instances) {
  const repo = await prepareRealRepo(inst, { sandbox, source, cacheRoot, mode: 'visible' });
  const checkout = `${repo}-bare`;
  try {
    const calls = editCalls(await patchChanges(repo, 'HEAD', inst.patch));
    const task = taskText(inst, 'visible');
    await hardenedGit(repo).raw(['worktree', 'add', '--quiet', '--detach', checkout, 'HEAD']);
    symlinkSync(realpathSync(path.join(repo, 'node_modules')), path.join(checkout, 'node_modules'), 'dir');
    const sides = { bare: [] as SideResult[], loop: [] as SideResult[], noValidate: [] as SideResult[], serial: [] as SideResult[] };
    const run = { calls, testCmd: inst.test_cmd, task, lock: patchFiles(inst.test_patch), latencyMs };
    for (let i = 0; i < runs; i++) {
      await hardenedGit(checkout).raw(['checkout', '-q', '-f', 'HEAD']);
      await hardenedGit(checkout).raw(['clean', '-fdq']);
      sides.bare.push(await runBare(bareLoop, checkout, run));
      sides.loop.push(await runPatchloop(repo, { ...run, validate: true, extra: serverFlags }));
      sides.noValidate.push(await runPatchloop(repo, { ...run, validate: false }));
      if (values['serial-too']) sides.serial.push(await runPatchloop(repo, { ...run, validate: true, extra: ['--no-early-tests', ...serverFlags] }));
    }
    const failed = [...sides.bare, ...sides.loop, ...sides.noValidate, ...sides.serial].find((r) => !r.ok);
    if (failed) {
      broken++;
      console.log(`${inst.instance_id.padEnd(30)} BROKEN: ${failed.detail.slice(0, 400)}`);
      continue;
    }
    // With the server, run 1 is the cold one (reported as "first"); every --no-validation-server run is alike.
    const warm = serverFlags.length ? sides.loop : sides.loop.slice(1);
    const [b, p, n] = [sides.bare, warm, sides.noValidate].map((xs) => median(xs.map((r) => r.ms))) as [number, number, number];
    const medianRun = (xs: SideResult[]) => [...xs].sort((x, y) => x.ms - y.ms)[Math.floor(xs.length / 2)]!;
    const mid = medianRun(warm);
    if (mid.timing) splits.push(mid.timing);
    const midNoValidate = medianRun(sides.noValidate).timing;
    if (midNoValidate) noValidateSplits.push(midNoValidate);
    ratios.push(p / b);
    firstRatios.push(sides.loop[0]!.ms / b);
    noValidateRatios.push(n / b);
    if (sides.serial.length) serialRatios.push(median(sides.serial.map((r) => r.ms)) / b);
    bareMs.push(b);
    const [cb, cp, cn] = [sides.bare, warm, sides.noValidate].map((xs) => median(xs.map((r) => r.cpuMs)) / 1000) as [number, number, number];
    cpu.bare.push(cb);
    cpu.loop.push(cp);
    cpu.noValidate.push(cn);
    const floor = (cp * 1000) / cores / b;
    floors.push(floor);
    console.log(inst.instance_id.padEnd(30), b.toFixed(0).padStart(8), p.toFixed(0).padStart(13), `${(p / b).toFixed(2)}×`.padStart(6), `${(sides.loop[0]!.ms / b).toFixed(2)}×`.padStart(6), `${n.toFixed(0)} ${(n / b).toFixed(2)}×`.padStart(16), `${cb.toFixed(1)}/${cp.toFixed(1)}/${cn.toFixed(1)}`.padStart(21), `${floor.toFixed(2)}×`.padStart(6), '', mid.timing ? renderTiming(mid.timing) : '(no timing)');
  } catch (err) {
    broken++;
    console.log(`${inst.instance_id.padEnd(30)} BROKEN: ${(err as Error).message.slice(0, 400)}`);
  } finally {
    const repoRoot = realpathSync(repo);
    await stopServers((s) => s.repoRoot === repoRoot).catch(() => undefined);
    // patchloop keeps each run's worktree for `patchloop apply`; the scratch repository goes, so they go too.
    const opened = await openRepo(repo).catch(() => undefined);
    if (opened) rmSync(repositoryWorktrees(opened), { recursive: true, force: true });
    await hardenedGit(repo).raw(['worktree', 'remove', '--force', checkout]).catch(() => undefined);
    rmSync(checkout, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}
rmSync(path.dirname(bareLoop), { recursive: true, force: true });
if (ratios.length) {
  const r = median(ratios);
  // The median of each part over instances: where the typical run's time goes (parts need not sum to the total).
  const medianParts = (xs: TimeBreakdown[]) => Object.fromEntries(Object.keys(xs[0]!).map((k) => [k, median(xs.map((t) => t[k as keyof TimeBreakdown]))])) as unknown as TimeBreakdown;
  console.log(`\nmedian ratio over ${ratios.length} instance(s)${serverFlags.length ? "" : " (warm runs)"}: ${r.toFixed(2)}× (goal ≤ ${GOAL}×: ${r <= GOAL ? 'met' : 'NOT met'}); min ${Math.min(...ratios).toFixed(2)}×, max ${Math.max(...ratios).toFixed(2)}×; bare loop median ${median(bareMs).toFixed(0)} ms`);
  console.log(`first run of each instance (${values['no-validation-server'] ? 'no validation server: every run is cold' : 'it starts the validation server: cold'}): median ratio ${median(firstRatios).toFixed(2)}×`);
  console.log(`with --no-validate (the harness without the validation pipeline; a diagnostic): median ratio ${median(noValidateRatios).toFixed(2)}×`);
  console.log(`CPU (whole machine, user+system, medians over instances): bare ${median(cpu.bare).toFixed(2)} s, patchloop ${median(cpu.loop).toFixed(2)} s, --no-validate ${median(cpu.noValidate).toFixed(2)} s; on ${cores} cores patchloop's CPU alone allows no ratio below ${median(floors).toFixed(2)}× (median floor)`);
  if (serialRatios.length) console.log(`with --no-early-tests (tests after validation): median ratio ${median(serialRatios).toFixed(2)}×`);
  if (splits.length) console.log(`patchloop run, median of each part over instances: ${renderTiming(medianParts(splits))}`);
  if (noValidateSplits.length) console.log(`patchloop run --no-validate, the same: ${renderTiming(medianParts(noValidateSplits))}`);
}
if (broken) console.log(`${broken} instance(s) with a broken measurement (a side did not resolve)`);
process.exitCode = broken || ratios.length === 0 ? 1 : 0;
