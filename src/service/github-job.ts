/**
 * Runs a job that came from a GitHub webhook with the existing commands: `patchloop issue` for an
 * issue, `patchloop ci-fix` for a failed workflow run — as a child process, so their whole flow
 * (task text, test locks, attempts per day, push, pull request, comment) is the one the Action
 * runs. The GitHub token comes from the worker's environment (GITHUB_TOKEN), never from a request.
 * A cancel sends SIGINT: the command's own Ctrl-C, which stops after the current step.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.ts';
import type { RunControl, RunSummary } from '../run/run-task.ts';
import type { ExecutorConfig } from './executor.ts';
import type { RunRequest } from './run-request.ts';

const PATCHLOOP_BIN = fileURLToPath(new URL('../cli/patchloop.mjs', import.meta.url));

/** The command line of a GitHub job (pure; the repository path is already resolved inside the root). */
export function githubJobArgs(cfg: ExecutorConfig, g: NonNullable<RunRequest['github']>, repoDir: string, runsDir: string): string[] {
  const p = cfg.provider;
  const common = [
    '--repo', repoDir, '--runs-dir', runsDir, '--provider', p.provider, '--sandbox', cfg.sandbox.backend === 'bwrap' ? 'bwrap' : 'process', '--json',
    ...(p.model ? ['--model', p.model] : []), ...(p.transcript ? ['--transcript', p.transcript] : []), ...(p.baseUrl ? ['--base-url', p.baseUrl] : []),
    ...(p.config ? ['--config', p.config] : []), ...(cfg.validate ? [] : ['--no-validate']),
  ];
  return g.kind === 'issue' ? ['issue', `${g.repo}#${g.number}`, ...common] : ['ci-fix', '--github-repo', g.repo, '--branch', g.branch!, ...common];
}

/** @throws EnvironmentError `github_job_failed` when the command printed no summary (its stderr tail says why). */
export function executeGitHubJob(cfg: ExecutorConfig, g: NonNullable<RunRequest['github']>, repoDir: string, runsDir: string, control: RunControl): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PATCHLOOP_BIN, ...githubJobArgs(cfg, g, repoDir, runsDir)], { env: { ...cfg.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const poll = setInterval(() => {
      if (control.stopRequested && child.exitCode === null) (child.kill('SIGINT'), clearInterval(poll));
    }, 300);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      try {
        resolve((JSON.parse(out) as { summary: RunSummary }).summary);
      } catch {
        reject(new EnvironmentError('github_job_failed', `patchloop ${g.kind} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
  });
}
