/**
 * `patchloop eval`: runs the gold set (or a subset) through the loop, writes results.jsonl,
 * report.md and report.html, and gates on score (a). `patchloop eval --compare A B` prints two runs
 * side by side instead.
 */
import type { Command } from 'commander';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { UsageError, describeError } from '../../errors.ts';
import { buildRunDeps, parsePositiveInt } from '../wiring.ts';
import { createProvider } from '../providers.ts';
import { PATCHLOOP_NODE_MODULES, RESULT_HEADER, formatResultRow } from './demo.ts';
import { loadTasks, type TaskInstance } from '../../eval/instance.ts';
import { runInstance, type InstanceResult } from '../../eval/run-instance.ts';
import { runSet } from '../../eval/run-set.ts';
import { compareRuns, loadRun, renderComparison } from '../../eval/compare.ts';
import { appendResult, defaultOutDir, openReportDir, writeReports } from '../../eval/report-files.ts';
import { fmt, gateExitCode, parseThreshold, summarize, unresolvedWhy } from '../../eval/report-summary.ts';
import { REPLAY_DEFAULT_MODEL } from '../../model/replay.ts';
import { ZERO_USAGE } from '../../model/types.ts';
import { evalInstancesAction, type EvalInstancesFlags } from './eval-instances.ts';

type Wrap = (a: Action) => (...args: unknown[]) => Promise<void>;

export interface EvalFlags {
  tasks: string;
  provider: string;
  model?: string;
  baseUrl?: string;
  concurrency: string;
  only?: string;
  out?: string;
  threshold: string;
  sandbox: string;
  compare?: string[];
  /** Mined instances (JSONL) instead of the gold set: see eval-instances.ts. */
  instances?: string;
  tests?: string;
  repo?: string;
  corpus?: string;
  transcripts?: string;
  cache?: string;
  maxIterations?: string;
}

/** Side effects the eval command needs; tests swap `runOne` (no loop) and `now`. */
export interface EvalOverrides {
  /** Runs one task; default builds a provider (replay: the task's own transcript) and calls runInstance. */
  runOne?: (inst: TaskInstance) => Promise<InstanceResult>;
  /** Wall clock, ms since epoch. */
  now?: () => number;
}

/** The `--compare` branch. @returns exit code 0. @throws ConfigError when a run cannot be read. */
export function compareAction(runs: string[], io: CliIo): number {
  if (runs.length !== 2) throw new UsageError('bad_compare', `--compare takes exactly two runs (output folders or results.jsonl files); got ${runs.length}`);
  const [a, b] = runs as [string, string];
  io.out(renderComparison(compareRuns(loadRun(a), loadRun(b)), { a, b }));
  return EXIT.resolved;
}

/**
 * The eval run. @returns 0 when (a) ≥ threshold, else 1.
 * @throws ConfigError for a bad --tasks/--only/--threshold or provider; UsageError for a bad --concurrency.
 */
export async function evalAction(flags: EvalFlags, io: CliIo, o: EvalOverrides = {}): Promise<number> {
  if (flags.compare) return compareAction(flags.compare, io);
  if (flags.instances) return evalInstancesAction({ ...flags, instances: flags.instances, tests: flags.tests ?? 'visible' } as EvalInstancesFlags, io);
  const now = o.now ?? Date.now;
  const threshold = parseThreshold(flags.threshold);
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency');
  const instances = loadTasks(path.resolve(flags.tasks), flags.only);
  const started = now();
  const paths = openReportDir(path.resolve(flags.out ?? defaultOutDir(new Date(started))));
  let runOne = o.runOne;
  if (!runOne) {
    if (flags.provider !== 'replay') await createProvider({ provider: flags.provider, model: flags.model, baseUrl: flags.baseUrl }, io.env); // fail fast on a missing key
    const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: true, io, quiet: true });
    runOne = async (inst) => runInstance(inst, {
      // Every task gets a fresh provider: no conversation, cache or replay cursor leaks between tasks.
      provider: await createProvider({ provider: flags.provider, model: flags.model, baseUrl: flags.baseUrl, transcript: flags.provider === 'replay' ? path.join(inst.dir, 'transcript.jsonl') : undefined }, io.env),
      sandbox: deps.sandbox, nodeModules: PATCHLOOP_NODE_MODULES, runDeps: deps,
      // Beside the report, so each result's runDir outlives the task's scratch repository.
      runsDir: path.join(paths.dir, 'runs'),
    });
  }
  io.out(`${instances.length} task(s) · provider ${flags.provider} · concurrency ${concurrency} · out ${paths.dir}\n${RESULT_HEADER}\n`);
  const one = runOne;
  // A task that cannot even start (e.g. a transcript that does not parse) is an unresolved task, not a crashed eval.
  const safeOne = async (inst: TaskInstance): Promise<InstanceResult> => {
    const t0 = now();
    try {
      return await one(inst);
    } catch (err) {
      return { id: inst.task.id, category: inst.task.category, status: 'error', resolved: false, styleOk: null, iterations: 0, steps: 0, usage: { ...ZERO_USAGE }, usd: 0, wallMs: now() - t0, validatorsFired: [], reason: describeError(err) };
    }
  };
  const results = await runSet(instances, concurrency, safeOne, (r) => {
    appendResult(paths, r);
    // demo's row prints the loop status; when a scorer refused a "resolved" loop, say which one.
    io.out((r.resolved || r.status !== 'resolved' ? formatResultRow(r) : `${formatResultRow(r).trimEnd()} — ${unresolvedWhy(r)}`) + '\n');
  });
  const meta = {
    provider: flags.provider, model: flags.model ?? (flags.provider === 'replay' ? REPLAY_DEFAULT_MODEL : undefined),
    startedAt: new Date(started).toISOString(), elapsedMs: now() - started, concurrency, threshold,
  };
  writeReports(paths, results, meta);
  const s = summarize(results);
  const code = gateExitCode(s, threshold);
  io.out(`\nresolved (a) ${s.overall.resolved}/${s.overall.tasks} = ${fmt.pct(s.overall.resolvedRate)} (gate ${fmt.pct(threshold)}: ${code === 0 ? 'PASS' : 'FAIL'}) · style (b) ${fmt.pct(s.overall.styleRate)} · explanation (c) ${fmt.pct(s.overall.explanationRate)}\n`);
  io.out(`${fmt.usd(s.overall.usd)} total · ${fmt.usd(s.overall.usdPerResolved)} per resolved task · elapsed ${fmt.secs(meta.elapsedMs)}\n`);
  io.out(`wrote ${paths.results}\n      ${paths.markdown}\n      ${paths.html}\n`);
  return code === 0 ? EXIT.resolved : EXIT.notResolved;
}

export function registerEval(program: Command, io: CliIo, wrap: Wrap, overrides: EvalOverrides = {}): void {
  program
    .command('eval')
    .description('run the gold set and score it: results.jsonl, report.md, report.html; exit 1 when resolved (a) is below --threshold')
    .option('--tasks <dir>', 'task folder', 'tasks')
    .option('--provider <name>', 'replay (each task its own transcript), gold (with --instances: the reference patch) or a live provider (see `patchloop run --help`); each task gets a fresh one', 'replay')
    .option('--model <id>', 'model id for a live provider')
    .option('--base-url <url>', 'API base URL for a live provider')
    .option('--concurrency <n>', 'tasks run at once', '2')
    .option('--only <id|prefix|category>', 'run a subset')
    .option('--out <dir>', 'output folder (default eval-out/<timestamp>)')
    .option('--threshold <rate>', 'minimum resolved rate (a), 0..1 or a percentage', '0.85')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .option('--instances <file.jsonl>', 'run mined instances (`patchloop tasks mine`) instead of the gold set; --provider gold plays each instance\'s own patch')
    .option('--tests <mode>', 'with --instances: visible (test change in the worktree, CI-fix case) or hidden (withheld until scoring)', 'visible')
    .option('--repo <dir>', 'with --instances: the repository holding the instances\' commits')
    .option('--corpus <dir>', 'with --instances: folder of fetched repositories (<owner>+<name>/repo)')
    .option('--transcripts <dir>', 'with --instances --provider replay: folder of <instance_id>.jsonl')
    .option('--cache <dir>', 'with --instances: install cache (one folder per lockfile hash)')
    .option('--max-iterations <n>', 'with --instances: loop iterations per instance', '3')
    .option('--compare <runs...>', 'print two runs side by side (output folders or results.jsonl) instead of running')
    .action(wrap(async (flags: EvalFlags) => evalAction(flags, io, overrides)));
}
