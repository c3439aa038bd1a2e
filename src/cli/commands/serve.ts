/**
 * `patchloop serve`: the HTTP API with an embedded SQLite queue and N in-process workers, or with
 * `--redis URL` a BullMQ queue drained by `patchloop worker` processes. `patchloop worker` is here
 * too: both take the same provider, sandbox and state options. SIGTERM/SIGINT stop taking jobs and
 * checkpoint running ones at the next step boundary (they stay queued and resume on restart).
 */
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { PROVIDER_NAMES } from '../providers.ts';
import { parsePositiveInt } from '../wiring.ts';
import { UsageError } from '../../errors.ts';
import { startService, type ServeOptions } from '../../service/server.ts';
import { githubToken } from '../../github/session.ts';
import { DEFAULT_LOCK_MS, startRedisWorker } from '../../service/redis-worker.ts';

/** Default state folder: `~/.patchloop/service`. */
export const defaultStateDir = (home = homedir()) => path.join(home, '.patchloop', 'service');
/** Default port of `patchloop serve`. */
export const DEFAULT_PORT = 8787;

interface ServiceFlags {
  reposRoot?: string; state: string; provider: string; model?: string; transcript?: string; baseUrl?: string; config?: string;
  allowProviders?: string; sandbox: string; validate: boolean; budgetTokens?: string; githubApiUrl?: string; gitAllowHttp?: string[]; gitTimeout?: string;
}

function addServiceOptions(cmd: Command): Command {
  return cmd
    .option('--repos-root <dir>', 'runs may only use repositories inside this folder (required)')
    .option('--state <dir>', 'jobs, keys, run folders and per-key ledgers', defaultStateDir())
    .option('--provider <name>', `default provider of a run: ${PROVIDER_NAMES.join(' | ')}`, 'anthropic')
    .option('--model <id>', 'default model id')
    .option('--transcript <file>', 'transcript to replay (with --provider replay)')
    .option('--base-url <url>', 'API base URL of the model provider')
    .option('--config <file>', 'model config file')
    .option('--allow-providers <names>', 'comma-separated providers a request may choose besides --provider')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .option('--budget-tokens <n>', 'token cap of a run that names none; default 200000')
    .option('--github-api-url <url>', 'GitHub REST root of webhook jobs (GitHub Enterprise: https://<host>/api/v3; default $GITHUB_API_URL, else api.github.com)')
    .option('--git-allow-http <hosts...>', 'host or host:port entries (space- or comma-separated) whose plain http:// URLs repo.url may name, e.g. an internal git server; default none: https and ssh only')
    .option('--git-timeout <seconds>', 'time limit of one clone or fetch of a repo.url; default 600')
    .option('--no-validate', 'skip the validation pipeline (tests only)');
}

/** The options common to serve and worker. @throws UsageError for a missing --repos-root or a bad value. */
function serviceOptions(flags: ServiceFlags, io: CliIo): Omit<ServeOptions, 'port' | 'host' | 'workers'> {
  if (!flags.reposRoot) throw new UsageError('missing_repos_root', 'say where repositories may be: --repos-root /srv/repos (requests naming a path outside it are refused)');
  if (!['auto', 'bwrap', 'process'].includes(flags.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${flags.sandbox}: use auto, bwrap or process`);
  const allowed = flags.allowProviders?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  for (const p of [flags.provider, ...allowed]) {
    if (!(PROVIDER_NAMES as readonly string[]).includes(p)) throw new UsageError('unknown_provider', `provider ${p}: use one of ${PROVIDER_NAMES.join(', ')}`);
  }
  return {
    reposRoot: flags.reposRoot, stateDir: flags.state, allowedProviders: allowed, sandbox: flags.sandbox as ServeOptions['sandbox'], validate: flags.validate, env: io.env,
    provider: { provider: flags.provider, ...(flags.model ? { model: flags.model } : {}), ...(flags.transcript ? { transcript: path.resolve(flags.transcript) } : {}), ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}), ...(flags.config ? { config: path.resolve(flags.config) } : {}) },
    ...(flags.budgetTokens ? { budgetTokens: parsePositiveInt(flags.budgetTokens, '--budget-tokens') } : {}),
    ...(flags.githubApiUrl ? { githubApiUrl: githubApiUrlOf(flags.githubApiUrl) } : {}),
    ...(flags.gitAllowHttp ? { gitAllowHttp: flags.gitAllowHttp.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean) } : {}),
    ...(flags.gitTimeout ? { gitTimeoutMs: parsePositiveInt(flags.gitTimeout, '--git-timeout') * 1000 } : {}),
    warn: (line) => io.err(`${line}\n`),
  };
}

/** `--github-api-url`, checked. @throws UsageError `bad_github_api_url` for anything but an http(s) URL. */
function githubApiUrlOf(raw: string): string {
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || !['http:', 'https:'].includes(u.protocol)) throw new UsageError('bad_github_api_url', `--github-api-url ${raw}: expected an http(s) URL such as https://github.example.com/api/v3`);
  return raw.replace(/\/+$/, '');
}

/** Resolves when the process gets SIGTERM or SIGINT. */
function untilSignal(say: (line: string) => void): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      say(`patchloop: ${sig}: no new jobs; running ones stop at the next step boundary and stay queued`);
      resolve(sig);
    };
    const onTerm = () => on('SIGTERM');
    const onInt = () => on('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}

export function registerServe(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  addServiceOptions(program.command('serve').description('run the HTTP API and workers (embedded SQLite queue, or BullMQ with --redis)'))
    .option('--port <n>', 'TCP port (0 = any free port)', String(DEFAULT_PORT))
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--workers <n>', 'in-process workers (embedded queue)', '2')
    .option('--redis <url>', 'put jobs on BullMQ at this Redis; run `patchloop worker --redis URL` to take them')
    .option('--github-webhook-secret-file <file>', 'enable POST /v1/github/webhook with the secret in this file (or set PATCHLOOP_GITHUB_WEBHOOK_SECRET)')
    .action(
      wrap(async (flags: ServiceFlags & { port: string; host: string; workers: string; redis?: string; githubWebhookSecretFile?: string }) => {
        const port = Number(flags.port);
        const secret = (flags.githubWebhookSecretFile ? readFileSync(flags.githubWebhookSecretFile, 'utf8') : io.env['PATCHLOOP_GITHUB_WEBHOOK_SECRET'] ?? '').trim();
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('bad_port', `--port ${flags.port}: expected 0-65535`);
        const service = await startService({ ...serviceOptions(flags, io), port, host: flags.host, workers: parsePositiveInt(flags.workers, '--workers'), ...(flags.redis ? { redis: flags.redis } : {}), ...(secret ? { githubWebhookSecret: secret } : {}) });
        io.err(`patchloop serve: listening on ${service.url} (${flags.redis ? `jobs on ${flags.redis}` : `${flags.workers} workers`}, state ${path.resolve(flags.state)})\n`);
        if (secret && !githubToken(io.env)) io.err('patchloop serve: warning: the GitHub webhook is on but GITHUB_TOKEN (or GH_TOKEN) is not set: its jobs will end in error until it is\n');
        if (service.requeued.length) io.err(`patchloop serve: resuming ${service.requeued.length} run(s) left running by a previous process\n`);
        await untilSignal((l) => io.err(`${l}\n`));
        await service.close();
        return EXIT.resolved;
      }),
    );
}

export function registerWorker(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  addServiceOptions(program.command('worker').description('take jobs from the BullMQ queue of `patchloop serve --redis` (same --state and --repos-root as the server)'))
    .option('--redis <url>', 'the Redis of the server (required)')
    .option('--concurrency <n>', 'jobs run at once by this worker', '1')
    .option('--metrics-port <n>', "serve this worker's step, validation and provider metrics on 127.0.0.1:<n>/metrics")
    .option('--lock-ms <ms>', "how long a dead worker's job waits before another worker takes it, ms", String(DEFAULT_LOCK_MS))
    .action(
      wrap(async (flags: ServiceFlags & { redis?: string; concurrency: string; lockMs: string; metricsPort?: string }) => {
        if (!flags.redis) throw new UsageError('missing_redis', 'say where the queue is: --redis redis://host:6379 (the URL given to patchloop serve)');
        const worker = await startRedisWorker({ ...serviceOptions(flags, io), redis: flags.redis, concurrency: parsePositiveInt(flags.concurrency, '--concurrency'), lockMs: parsePositiveInt(flags.lockMs, '--lock-ms'), ...(flags.metricsPort ? { metricsPort: parsePositiveInt(flags.metricsPort, '--metrics-port') } : {}) });
        io.err(`patchloop worker: taking jobs from ${flags.redis}${worker.metricsUrl ? `, metrics on ${worker.metricsUrl}` : ''}\n`);
        await untilSignal((l) => io.err(`${l}\n`));
        await worker.close();
        return EXIT.resolved;
      }),
    );
}
