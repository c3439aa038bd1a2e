/** Shared wiring for commands that run the loop: sandbox, prices, validation, progress lines. */
import { UsageError } from '../errors.ts';
import { createSandbox } from '../sandbox/create.ts';
import { createValidationPipeline } from '../validate/pipeline.ts';
import { costUsd, maxUsdPerToken } from '../budget/prices.ts';
import type { RunDeps } from '../run/run-task.ts';
import type { Usage } from '../model/types.ts';
import type { CliIo } from './main.ts';
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

export async function buildRunDeps(o: { sandbox: string; validate: boolean; io: CliIo; json?: boolean; quiet?: boolean; stream?: boolean; allowImports?: string }): Promise<Omit<RunDeps, 'provider'> & { progress?: ProgressView }> {
  if (!['auto', 'bwrap', 'process'].includes(o.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${o.sandbox}: use auto, bwrap or process`);
  const sandbox = await createSandbox({ backend: o.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => o.io.err(`${line}\n`) });
  // Streamed model text and a redrawn frame would fight over the screen: --stream uses plain lines.
  const progress = o.json || o.quiet ? undefined : new ProgressView({ live: o.io.isTTY && !o.stream, stream: o.io.errStream, color: o.io.isTTY });
  const allowImports = o.allowImports?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    sandbox,
    cost: priceCall,
    usdPerToken: (model) => maxUsdPerToken(model),
    createValidation: o.validate ? (root, baseRef, runSandbox) => createValidationPipeline({ root, baseRef, sandbox: runSandbox, ...(allowImports ? { allowImports } : {}) }) : undefined,
    stream: o.stream,
    onModelText: o.stream && !o.json ? (text) => o.io.err(text) : undefined,
    onTrace: progress?.onTrace,
    progress,
  };
}
