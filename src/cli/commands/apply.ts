/** `patchloop apply <run-id>` and `patchloop discard <run-id>`. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { openRepo, hardenedGit } from '../../git/repo.ts';
import { applyRunPatch } from '../../git/apply.ts';
import { removeRunWorktree } from '../../git/worktree.ts';
import { findRunDir } from '../../run/resume.ts';
import type { RunSummary } from '../../run/run-task.ts';
import { UsageError } from '../../errors.ts';

export function registerApply(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('apply <run-id>')
    .description("bring a run's patch onto your current branch (refuses if it does not apply cleanly or touches files you changed)")
    .option('--repo <dir>', 'git working copy', '.')
    .option('--runs-dir <dir>', 'run folders location')
    .option('--commit', 'commit it (with the run\'s message and Patchloop-Run trailer)')
    .action(
      wrap(async (runId: string, flags: { repo: string; runsDir?: string; commit?: boolean }) => {
        const repo = await openRepo(flags.repo);
        const runDir = await findRunDir(runId, flags.repo, flags.runsDir);
        let summary: RunSummary;
        try {
          summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
        } catch {
          throw new UsageError('run_unfinished', `run ${runId} has not finished: resume it first (patchloop resume ${runId})`);
        }
        const message = summary.commitSha ? await hardenedGit(repo.root).raw(['log', '-1', '--format=%B', summary.commitSha]) : `patchloop: ${summary.task.split('\n')[0]}`;
        const res = await applyRunPatch(repo, summary.patchPath, { commit: flags.commit, message });
        io.out(`applied ${res.files.length} file(s): ${res.files.join(', ')}${res.commitSha ? `\ncommitted ${res.commitSha.slice(0, 10)}` : '\n(not committed: review with git diff)'}\n`);
        return EXIT.resolved;
      }),
    );
  program
    .command('discard <run-id>')
    .description("remove a run's worktree and branch (its trace stays)")
    .option('--repo <dir>', 'git working copy', '.')
    .action(
      wrap(async (runId: string, flags: { repo: string }) => {
        const repo = await openRepo(flags.repo);
        await removeRunWorktree(repo, runId);
        io.out(`discarded worktree and branch patchloop/${runId}\n`);
        return EXIT.resolved;
      }),
    );
}
