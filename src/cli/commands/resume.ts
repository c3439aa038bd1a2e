/** `patchloop resume <run-id>`: continue a stopped or killed run from its persisted snapshot. */
import type { Command } from 'commander';
import type { Action, CliIo } from '../io.ts';
import { buildProvider } from '../providers.ts';
import { recordSpend } from '../spend.ts';
import { buildRunDeps } from '../wiring.ts';
import { installInterruptHandler } from '../interrupt.ts';
import { reportRun } from '../render.ts';
import { findRunDir, loadRunState, recordedReplyCount, resumeRun } from '../../run/resume.ts';
import { ConfigError } from '../../errors.ts';

export function registerResume(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('resume <run-id>')
    .description('continue a stopped or killed run; paid replies and applied edits are not repeated')
    .option('--repo <dir>', 'the git working copy the run belongs to', '.')
    .option('--runs-dir <dir>', 'where run folders are (if the run used --runs-dir)')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .option('--no-validate', 'skip the validation pipeline')
    .option('--json', 'print only the summary as JSON')
    .action(
      wrap(async (runId: string, flags: { repo: string; runsDir?: string; sandbox: string; validate: boolean; json?: boolean }) => {
        const runDir = await findRunDir(runId, flags.repo, flags.runsDir);
        const { record, summary: previous } = loadRunState(runDir);
        // A Ctrl-C'd session recorded its spend when it stopped; a SIGKILLed one recorded nothing.
        const before = previous?.status === 'interrupted' ? previous : undefined;
        const spec = record.options.providerSpec;
        if (!spec) throw new ConfigError('no_provider_spec', `run ${runId} did not record its provider; it cannot be resumed`);
        const built = await buildProvider({ provider: spec.name, model: spec.model, baseUrl: spec.baseUrl, transcript: spec.transcript, config: spec.config, skipReplies: recordedReplyCount(runDir) }, io.env);
        const deps = await buildRunDeps({ sandbox: flags.sandbox, validate: flags.validate, io, json: flags.json });
        const interrupt = installInterruptHandler((line) => (deps.progress ? deps.progress.note(line) : io.err(`${line}\n`)));
        const summary = await resumeRun(runDir, { ...deps, provider: built.provider, drainModelEvents: built.drainEvents, control: interrupt.control }).finally(() => {
          interrupt.dispose();
          deps.progress?.done();
        });
        recordSpend(io.env, summary, before ? { usage: before.usage, usd: before.usd } : undefined);
        return reportRun(summary, io, flags.json);
      }),
    );
}
