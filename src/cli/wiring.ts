/** Shared wiring for commands that run the loop: sandbox, prices, validation, progress lines. */
import { UsageError } from '../errors.ts';
import { createSandbox } from '../sandbox/create.ts';
import { createValidationPipeline } from '../validate/pipeline.ts';
import { costUsd, maxUsdPerToken } from '../budget/prices.ts';
import type { RunDeps } from '../run/run-task.ts';
import type { CliIo } from './main.ts';
import { ProgressView } from './progress.ts';

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('bad_number', `${flag} ${value}: expected a positive whole number`);
  return n;
}

export async function buildRunDeps(o: { sandbox: string; validate: boolean; io: CliIo; json?: boolean; quiet?: boolean }): Promise<Omit<RunDeps, 'provider'> & { progress?: ProgressView }> {
  if (!['auto', 'bwrap', 'process'].includes(o.sandbox)) throw new UsageError('bad_sandbox', `--sandbox ${o.sandbox}: use auto, bwrap or process`);
  const sandbox = await createSandbox({ backend: o.sandbox as 'auto' | 'bwrap' | 'process', warn: (line) => o.io.err(`${line}\n`) });
  const progress = o.json || o.quiet ? undefined : new ProgressView({ live: o.io.isTTY, stream: o.io.errStream, color: o.io.isTTY });
  return {
    sandbox,
    cost: (model, usage) => costUsd(model, usage),
    usdPerToken: (model) => maxUsdPerToken(model),
    createValidation: o.validate ? (root, baseRef) => createValidationPipeline({ root, baseRef }) : undefined,
    onTrace: progress?.onTrace,
    progress,
  };
}
