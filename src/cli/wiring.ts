/** Shared wiring for commands that run the loop: sandbox, prices, validation, progress lines. */
import { UsageError } from '../errors.ts';
import { createSandbox } from '../sandbox/create.ts';
import type { ValidationPipeline } from '../validate/pipeline.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { costUsd, maxUsdPerToken } from '../budget/prices.ts';
import type { RunDeps } from '../run/run-task.ts';
import type { ValidationRunner } from '../run/actors.ts';
import type { Usage } from '../model/types.ts';
import type { CliIo } from './io.ts';
import { ProgressView } from './progress.ts';

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
 * The validation pipeline, with its module (ts-morph, ESLint, typescript-eslint, Prettier: about a
 * second to load) imported on the first validation instead of at start-up, so a run's first model
 * request does not wait for it.
 */
export function lazyValidation(root: string, baseRef: string, sandbox: Sandbox, allowImports?: string[]): ValidationRunner & { dispose: () => void; prewarm: () => Promise<unknown> } {
  let pipeline: Promise<ValidationPipeline> | undefined;
  const get = () => (pipeline ??= import('../validate/pipeline.ts').then((m) => m.createValidationPipeline({ root, baseRef, sandbox, ...(allowImports ? { allowImports } : {}) })));
  return {
    run: async (touched, opts) => (await get()).run(touched, opts),
    // Called at run start (drive.ts): the cold start overlaps the plan phase instead of the first validation.
    prewarm: async () => (await get()).prewarm(),
    dispose: () => void pipeline?.then((p) => p.dispose()),
  };
}

export async function buildRunDeps(o: { sandbox: string; validate: boolean; earlyTests?: boolean; io: CliIo; json?: boolean; quiet?: boolean; stream?: boolean; allowImports?: string }): Promise<Omit<RunDeps, 'provider'> & { progress?: ProgressView }> {
  if (!['auto', 'bwrap', 'process'].includes(o.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${o.sandbox}: use auto, bwrap or process`);
  const sandbox = await createSandbox({ backend: o.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => o.io.err(`${line}\n`) });
  // Streamed model text and a redrawn frame would fight over the screen: --stream uses plain lines.
  const progress = o.json || o.quiet ? undefined : new ProgressView({ live: o.io.isTTY && !o.stream, stream: o.io.errStream, color: o.io.isTTY });
  const allowImports = o.allowImports?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    sandbox,
    cost: priceCall,
    usdPerToken: (model) => maxUsdPerToken(model),
    createValidation: o.validate ? (root, baseRef, runSandbox) => lazyValidation(root, baseRef, runSandbox, allowImports) : undefined,
    ...(o.earlyTests === false ? { earlyTests: false } : {}),
    stream: o.stream,
    onModelText: o.stream && !o.json ? (text) => o.io.err(text) : undefined,
    onTrace: progress?.onTrace,
    progress,
  };
}
