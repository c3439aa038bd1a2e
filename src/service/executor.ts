/**
 * Runs one job with the existing loop entry points: `runTask` for a fresh job, `resumeRun` when the
 * job's run folder already has a snapshot (its worker died or it was cancelled and resubmitted), so
 * paid replies and applied edits are taken from the trace, never repeated. Spend goes to the
 * submitting key's ledger (src/budget/ledger.ts), which holds its daily USD cap. A GitHub webhook
 * job takes the same path under its own id, with its task and locks from github-job.ts before the
 * loop and its publishing after it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { buildProvider, providerSpecOf, type ProviderFlags } from '../cli/providers.ts';
import { recordSpend, refuseOverDailyCap } from '../cli/spend.ts';
import { priceCall } from '../cli/wiring.ts';
import { detectProject } from '../cli/init-config.ts';
import { maxUsdPerToken } from '../budget/prices.ts';
import { createValidationPipeline } from '../validate/pipeline.ts';
import { runTask, type RunControl, type RunDeps, type RunSummary } from '../run/run-task.ts';
import { loadRunState, recordedReplyCount, resumeRun } from '../run/resume.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { TraceLine } from '../trace/trajectory.ts';
import type { ApiKey } from './keys.ts';
import type { JobRecord } from './job-store.ts';
import type { RunRequest } from './run-request.ts';
import { RequestError, resolveRepoPath } from './repo-path.ts';
import { checkRepoRef, parseRepoUrl, type RepoUrl } from './repo-url.ts';
import type { RepoCache } from './repo-cache.ts';

/** What every job of a service shares: where state lives, the repos root, the default provider. */
export interface ExecutorConfig {
  stateDir: string;
  reposRoot: string;
  /** The server's provider flags (`--provider`, `--model`, `--transcript`, …): the default of every job. */
  provider: ProviderFlags;
  /** Providers a request may name besides the server's. */
  allowedProviders: string[];
  sandbox: Sandbox;
  validate: boolean;
  env: Record<string, string | undefined>;
  /** Default token cap per run. */
  defaultBudgetTokens: number;
  /** GitHub REST root for webhook jobs (GitHub Enterprise, a test server); default `$GITHUB_API_URL`, else api.github.com. */
  githubApiUrl?: string;
  /** `--git-allow-http` entries (`host` / `host:port`, lowercase): plain http is cloned from these only. */
  gitAllowHttp?: string[];
  /** The `repo.url` cache (`<state>/repos`); absent: url jobs are refused. */
  repoCache?: RepoCache;
}

/** A fresh job id: `r-<UTC stamp>-<12 hex>` (random enough that 100 jobs in one second never collide). */
export function newJobId(now: Date = new Date()): string {
  return `r-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '')}-${randomBytes(6).toString('hex')}`;
}

export const runsDirOf = (stateDir: string) => path.join(stateDir, 'runs');
export const runDirOf = (stateDir: string, id: string) => path.join(runsDirOf(stateDir), id);
/** One ledger per key: its daily cap counts only its own spend. */
export const keyLedgerPath = (stateDir: string, keyId: string) => path.join(stateDir, 'ledgers', `${keyId}.sqlite`);
const ledgerEnv = (stateDir: string, keyId: string) => ({ PATCHLOOP_LEDGER: keyLedgerPath(stateDir, keyId) });

/** Refuses a key over its daily cap. @throws BudgetError `daily_cap`. */
export function checkKeyDailyCap(stateDir: string, key: Pick<ApiKey, 'id' | 'dailyUsd'>): void {
  mkdirSync(path.join(stateDir, 'ledgers'), { recursive: true });
  refuseOverDailyCap(ledgerEnv(stateDir, key.id), key.dailyUsd);
}

/** The provider a request asked for, checked against what the server allows. @throws RequestError 400 `provider_not_allowed`. */
export function providerFor(cfg: ExecutorConfig, req: JobRecord['request']): ProviderFlags {
  const name = req.provider ?? cfg.provider.provider;
  if (name !== cfg.provider.provider && !cfg.allowedProviders.includes(name)) {
    throw new RequestError('provider_not_allowed', 400, `provider "${name}" is not enabled on this server; allowed: ${[cfg.provider.provider, ...cfg.allowedProviders].join(', ')}`, 'provider');
  }
  return name === cfg.provider.provider ? { ...cfg.provider, ...(req.model ? { model: req.model } : {}) } : { provider: name, ...(req.model ? { model: req.model } : {}) };
}

export interface ExecuteHooks {
  control: RunControl;
  onTrace?: (line: TraceLine) => void;
  /** The provider the server chose for the job (Redis deployment: the worker runs what the server accepted). */
  provider?: ProviderFlags;
}

/**
 * The working copy a job runs in: `repo.path` inside the repos root, or for `repo.url` the cache's
 * working copy at the resolved `ref` (cloned or fetched now, the job's only network step).
 * @throws RequestError for a bad path or URL; EnvironmentError when the URL cannot be fetched or the ref is unknown.
 */
export async function repositoryOf(cfg: ExecutorConfig, repo: RunRequest['repo']): Promise<string> {
  const url = checkRepoRequest(cfg, repo);
  return url ? (await cfg.repoCache!.prepare(url, repo.ref)).checkout : resolveRepoPath(cfg.reposRoot, repo.path!);
}

/**
 * Refuses a request's repository before anything is queued (API) or fetched (worker): a path outside
 * the root, a URL or ref of a bad shape, a URL on a server without the cache.
 * @returns the checked URL of a `repo.url` request, undefined for `repo.path`. @throws RequestError 400 naming the field.
 */
export function checkRepoRequest(cfg: ExecutorConfig, repo: RunRequest['repo']): RepoUrl | undefined {
  if (repo.path) return void resolveRepoPath(cfg.reposRoot, repo.path);
  if (!repo.url || !cfg.repoCache) throw new RequestError('repo_url_unsupported', 400, 'repo.url is not enabled on this server: submit repo.path inside the repos root', 'repo.url');
  const url = parseRepoUrl(repo.url, cfg.gitAllowHttp);
  if (repo.ref) checkRepoRef(repo.ref);
  return url;
}

/**
 * Runs or resumes `job` to a final state (or to `interrupted` when `hooks.control` asks to stop).
 * A GitHub job publishes once its run ended (src/service/github-job.ts), resumed or not.
 * @throws the loop's own errors before it starts (EnvironmentError, BudgetError `daily_cap`, RequestError);
 *   failures during the run are a summary, never a throw.
 */
export async function executeJob(cfg: ExecutorConfig, job: JobRecord, key: Pick<ApiKey, 'id' | 'dailyUsd'> | undefined, hooks: ExecuteHooks): Promise<RunSummary> {
  const g = job.request.github;
  const summary = await runOrResume(cfg, job, key, hooks);
  // Loaded with the first GitHub job: the GitHub client (Octokit) stays out of the service's start-up.
  if (g && summary.status !== 'interrupted') await (await import('./github-job.ts')).publishGitHubJob(cfg, g, resolveRepoPath(cfg.reposRoot, g.repo), summary, hooks.onTrace);
  return summary;
}

async function runOrResume(cfg: ExecutorConfig, job: JobRecord, key: Pick<ApiKey, 'id' | 'dailyUsd'> | undefined, hooks: ExecuteHooks): Promise<RunSummary> {
  const runDir = runDirOf(cfg.stateDir, job.id);
  const env = ledgerEnv(cfg.stateDir, job.keyId);
  mkdirSync(path.dirname(env.PATCHLOOP_LEDGER), { recursive: true });
  const deps: Omit<RunDeps, 'provider'> = {
    sandbox: cfg.sandbox, cost: priceCall, usdPerToken: (model) => maxUsdPerToken(model), control: hooks.control, onTrace: hooks.onTrace,
    createValidation: cfg.validate ? (root, baseRef) => createValidationPipeline({ root, baseRef }) : undefined,
  };
  if (existsSync(path.join(runDir, 'run.json'))) {
    const { record, summary: previous } = loadRunState(runDir);
    // The run ended but its worker died before recording it: the summary is the answer.
    if (previous && previous.status !== 'interrupted') return previous;
    const spec = record.options.providerSpec;
    if (!spec) throw new UsageError('no_provider_spec', `run ${job.id} did not record its provider; it cannot be resumed`);
    const built = await buildProvider({ provider: spec.name, model: spec.model, baseUrl: spec.baseUrl, transcript: spec.transcript, config: spec.config, skipReplies: recordedReplyCount(runDir) }, cfg.env);
    const summary = await resumeRun(runDir, { ...deps, provider: built.provider, drainModelEvents: built.drainEvents });
    recordSpend(env, summary, previous?.status === 'interrupted' ? { usage: previous.usage, usd: previous.usd } : undefined);
    return summary;
  }
  const r = job.request;
  let input: { repo: string; task: string; testCmd: string; lockedFiles?: string[]; lockedGlobs?: string[]; baseRef?: string };
  if (r.github) {
    // The server's provider and limits: nothing in a webhook chooses them.
    const repo = resolveRepoPath(cfg.reposRoot, r.github.repo);
    input = { repo, ...(await (await import('./github-job.ts')).prepareGitHubJob(cfg, r.github, repo)) };
  } else {
    if (key) checkKeyDailyCap(cfg.stateDir, key);
    const repo = await repositoryOf(cfg, r.repo);
    input = { repo, task: r.task, testCmd: r.testCmd ?? detectProject(repo).testCmd, ...(r.lockedFiles ? { lockedFiles: r.lockedFiles } : {}) };
  }
  const flags = hooks.provider ?? providerFor(cfg, r);
  const built = await buildProvider(flags, cfg.env);
  const maxUsd = r.budget?.usd ?? built.config.budget.maxUsd;
  const budget = { maxTokens: r.budget?.tokens ?? cfg.defaultBudgetTokens, ...(maxUsd ? { maxUsd } : {}) };
  const summary = await runTask(
    { ...input, runId: job.id, runsDir: runsDirOf(cfg.stateDir), maxIterations: r.maxIterations ?? 6, budget, providerSpec: providerSpecOf(flags) },
    { ...deps, provider: built.provider, drainModelEvents: built.drainEvents },
  );
  recordSpend(env, summary);
  return summary;
}
