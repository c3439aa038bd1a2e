/** Shared wiring for commands that run the loop: sandbox, prices, validation, progress lines. */
import { ConfigError, UsageError } from '../errors.ts';
import { createSandbox } from '../sandbox/create.ts';
import type { ValidationPipeline } from '../validate/pipeline.ts';
import type { ServerSession, SessionOptions } from '../validate/server/client.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { costUsd, maxUsdPerToken } from '../budget/prices.ts';
import type { RunDeps } from '../run/run-task.ts';
import type { ValidationRunner } from '../run/actors.ts';
import type { Usage } from '../model/types.ts';
import type { CliIo } from './io.ts';
import { ProgressView } from './progress.ts';
import { validationNice } from '../validate/sandboxed/background-priority.mjs';

/** USD of one call; Message Batches replies (provider `…-batch`) get the batch discount. */
export const priceCall = (model: string, usage: Usage, provider?: string): number => costUsd(model, usage, { batch: provider?.endsWith('-batch') ?? false });

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('bad_number', `${flag} ${value}: expected a positive whole number`);
  return n;
}

export function parsePositiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('bad_number', `${flag} ${value}: expected a positive number`);
  return n;
}

/**
 * Whether a run validates through the repository's warm validation server (src/validate/server):
 * off with `--no-validation-server` or `PATCHLOOP_VALIDATION_SERVER=0`, on with `=1`, else off
 * when `CI` is set (a fresh machine per job gains nothing and should leave no process behind), on otherwise.
 */
export function validationServerWanted(flag: boolean | undefined, env: Record<string, string | undefined> = process.env): boolean {
  if (flag === false || env['PATCHLOOP_VALIDATION_SERVER'] === '0') return false;
  if (env['PATCHLOOP_VALIDATION_SERVER'] === '1') return true;
  return !env['CI'] || env['CI'] === 'false' || env['CI'] === '0';
}

/**
 * The validation pipeline, with its module (ts-morph, ESLint, typescript-eslint, Prettier: about a
 * second to load) imported on the first validation instead of at start-up, so a run's first model
 * request does not wait for it. With `server`, validation runs in the repository's warm validation
 * server instead, and this process never loads the pipeline unless the server cannot be used or
 * fails mid-run (then it validates here, from then on).
 */
export function lazyValidation(root: string, baseRef: string, sandbox: Sandbox, o: { allowImports?: string[]; server?: Omit<SessionOptions, 'root' | 'baseSha' | 'backend' | 'allowImports'> } = {}): ValidationRunner & { dispose: () => void; prewarm: () => Promise<unknown> } {
  let pipeline: Promise<ValidationPipeline> | undefined;
  const get = () => (pipeline ??= import('../validate/pipeline.ts').then((m) => m.createValidationPipeline({ root, baseRef, sandbox, ...(o.allowImports ? { allowImports: o.allowImports } : {}) })));
  const note = o.server?.note ?? (() => undefined);
  let session: Promise<ServerSession | undefined> = Promise.resolve(undefined);
  if (o.server) {
    const opts: SessionOptions = { ...o.server, root, baseSha: baseRef, backend: sandbox.backend, ...(o.allowImports ? { allowImports: o.allowImports } : {}) };
    session = import('../validate/server/client.ts').then((m) => m.openServerSession(opts)).catch((err: unknown) => {
      note(`validation server: not used (${(err as Error)?.message ?? String(err)})`);
      return undefined;
    });
  }
  return {
    run: async (touched, opts) => {
      const s = await session;
      if (s) {
        try {
          const report = await s.run(touched, opts);
          return { ...report, server: s.runsServed > 0 ? `server, warm (${s.runsServed} earlier run${s.runsServed === 1 ? '' : 's'})` : 'server, started by this run' };
        } catch (err) {
          note(`validation server failed, validating in this process from now on: ${(err as Error).message}`);
          s.dispose();
          session = Promise.resolve(undefined);
        }
      }
      return (await get()).run(touched, opts);
    },
    // Called at run start (drive.ts): the cold start overlaps the plan phase instead of the first validation.
    prewarm: async () => {
      const s = await session;
      return s ? s.prewarm() : (await get()).prewarm();
    },
    dispose: () => {
      void session.then((s) => s?.dispose());
      void pipeline?.then((p) => p.dispose());
    },
  };
}

/** PATCHLOOP_VALIDATION_NICE is read by the validation worker and server; a bad value fails here, before the run. */
function checkValidationNice(): void {
  try {
    validationNice();
  } catch (err) {
    throw new ConfigError('bad_env', (err as Error).message);
  }
}

export async function buildRunDeps(o: { sandbox: string; validate: boolean; earlyTests?: boolean; io: CliIo; json?: boolean; quiet?: boolean; stream?: boolean; allowImports?: string; /** `--no-validation-server` (false); undefined: the command never uses one (eval, demo, batch: many commits, one run each). */ validationServer?: boolean }): Promise<Omit<RunDeps, 'provider'> & { progress?: ProgressView }> {
  if (!['auto', 'bwrap', 'process'].includes(o.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${o.sandbox}: use auto, bwrap or process`);
  if (o.validate) checkValidationNice();
  const sandbox = await createSandbox({ backend: o.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => o.io.err(`${line}\n`) });
  // Streamed model text and a redrawn frame would fight over the screen: --stream uses plain lines.
  const progress = o.json || o.quiet ? undefined : new ProgressView({ live: o.io.isTTY && !o.stream, stream: o.io.errStream, color: o.io.isTTY });
  const allowImports = o.allowImports?.split(',').map((s) => s.trim()).filter(Boolean);
  const useServer = o.validationServer !== undefined && validationServerWanted(o.validationServer);
  return {
    sandbox,
    cost: priceCall,
    usdPerToken: (model) => maxUsdPerToken(model),
    createValidation: o.validate
      ? (root, baseRef, runSandbox, repo) => lazyValidation(root, baseRef, runSandbox, {
        ...(allowImports ? { allowImports } : {}),
        ...(useServer ? { server: { repoRoot: repo.root, commonDir: repo.commonDir, note: (line: string) => void (o.quiet || o.json ? undefined : o.io.err(`${line}\n`)) } } : {}),
      })
      : undefined,
    ...(o.earlyTests === false ? { earlyTests: false } : {}),
    stream: o.stream,
    onModelText: o.stream && !o.json ? (text) => o.io.err(text) : undefined,
    onTrace: progress?.onTrace,
    progress,
  };
}
