/**
 * `patchloop eval --instances FILE.jsonl`: mined instances (see `tasks mine`) through the real loop
 * with any provider — `gold` plays each instance's own patch, so every unresolved instance is a
 * harness defect — scored on FAIL_TO_PASS / PASS_TO_PASS in a fresh sandboxed checkout.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from '../main.ts';
import { EXIT } from '../exit-codes.ts';
import { UsageError } from '../../errors.ts';
import { buildRunDeps, parsePositiveInt } from '../wiring.ts';
import { createProvider } from '../providers.ts';
import { readInstances, type MinedInstance } from '../../mine/instance.ts';
import { GoldProvider } from '../../model/gold.ts';
import { editCalls, patchChanges } from '../../model/gold-edits.ts';
import type { ModelProvider } from '../../model/types.ts';
import { runRealInstance, type RealInstanceResult, type TestsMode } from '../../eval/real-instance.ts';
import { instanceRow, repoTable } from '../../eval/real-report.ts';
import { appendFileSync, mkdirSync } from 'node:fs';
import { defaultDepsCache } from './tasks-mine.ts';

export interface EvalInstancesFlags {
  instances: string;
  provider: string;
  model?: string;
  baseUrl?: string;
  tests: string;
  /** A single repository holding every instance's commits. */
  repo?: string;
  /** Folder of fetched repositories: `<dir>/<owner>+<name>[/repo]`. */
  corpus?: string;
  /** Replay: folder of `<instance_id>.jsonl` transcripts. */
  transcripts?: string;
  only?: string;
  out?: string;
  cache?: string;
  sandbox: string;
  maxIterations?: string;
}

/** Where the commits of `owner/name` are: `--repo`, else `<corpus>/<owner>+<name>/repo` or `<corpus>/<owner>+<name>`. */
export function sourceResolver(flags: Pick<EvalInstancesFlags, 'repo' | 'corpus'>): (repo: string) => string {
  return (repo) => {
    if (flags.repo) return path.resolve(flags.repo);
    const dir = path.resolve(flags.corpus!, repo.replace('/', '+'));
    for (const candidate of [path.join(dir, 'repo'), dir]) if (existsSync(candidate)) return candidate;
    throw new UsageError('no_source', `${repo}: not under --corpus ${flags.corpus} (expected ${dir}/repo or ${dir}); fetch it or pass --repo DIR`);
  };
}

/** The gold provider for an instance prepared at `repoDir` (HEAD = the run's start). */
export async function goldProviderFor(inst: MinedInstance, repoDir: string): Promise<ModelProvider> {
  return new GoldProvider(editCalls(await patchChanges(repoDir, 'HEAD', inst.patch)));
}

/**
 * @returns 0 when every instance resolved, else 1.
 * @throws UsageError for a bad --tests, a missing --repo/--corpus; ConfigError for a bad instance file or provider.
 */
export async function evalInstancesAction(flags: EvalInstancesFlags, io: CliIo): Promise<number> {
  if (flags.tests !== 'visible' && flags.tests !== 'hidden') throw new UsageError('bad_tests', `--tests ${flags.tests}: use visible (tests in the worktree, CI-fix case) or hidden (tests withheld until scoring)`);
  if (!flags.repo && !flags.corpus) throw new UsageError('no_source', '--instances needs --repo DIR (one repository) or --corpus DIR (fetched repositories as <owner>+<name>)');
  let instances = readInstances(flags.instances);
  if (flags.only) instances = instances.filter((i) => i.instance_id.startsWith(flags.only!) || i.repo === flags.only);
  if (instances.length === 0) throw new UsageError('no_instances', `--only ${flags.only}: no instance id prefix or repository matches`);
  const mode = flags.tests as TestsMode;
  const live = flags.provider !== 'gold' && flags.provider !== 'replay';
  if (live) await createProvider({ provider: flags.provider, model: flags.model, baseUrl: flags.baseUrl }, io.env); // fail fast on a missing key
  const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: true, io, quiet: true });
  const out = flags.out ? path.resolve(flags.out) : undefined;
  if (out) mkdirSync(out, { recursive: true });
  const provider = async (inst: MinedInstance, repoDir: string): Promise<ModelProvider> => {
    if (flags.provider === 'gold') return goldProviderFor(inst, repoDir);
    const transcript = flags.provider === 'replay' ? path.resolve(flags.transcripts ?? '.', `${inst.instance_id}.jsonl`) : undefined;
    return createProvider({ provider: flags.provider, model: flags.model, baseUrl: flags.baseUrl, transcript }, io.env);
  };
  io.out(`${instances.length} instance(s) · provider ${flags.provider} · tests ${mode} · sandbox ${deps.sandbox.backend}\n`);
  const results: RealInstanceResult[] = [];
  for (const inst of instances) {
    const r = await runRealInstance(inst, {
      // The gold provider costs nothing and has no price-table entry.
      sandbox: deps.sandbox, provider, runDeps: flags.provider === 'gold' ? { ...deps, cost: () => 0, usdPerToken: () => 0 } : deps, source: sourceResolver(flags), mode,
      cacheRoot: path.resolve(flags.cache ?? defaultDepsCache(io.env)),
      ...(flags.maxIterations ? { maxIterations: parsePositiveInt(flags.maxIterations, '--max-iterations') } : {}),
      ...(out ? { runsDir: path.join(out, 'runs') } : {}),
    });
    results.push(r);
    if (out) appendFileSync(path.join(out, 'results.jsonl'), `${JSON.stringify(r)}\n`);
    io.out(`${instanceRow(r)}\n`);
  }
  io.out(`\n${repoTable(results)}\n`);
  return results.every((r) => r.resolved) ? EXIT.resolved : EXIT.notResolved;
}
