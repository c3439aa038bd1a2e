/** Small facts shared by the issue and ci-fix flows: token and client, job summary, trailers, test globs. */
import { appendFileSync } from 'node:fs';
import { hardenedGit } from '../git/repo.ts';
import { ConfigError } from '../errors.ts';
import { createGitHubClient, type GitHubApi } from './client.ts';

/** Test files locked in issue mode (read-only to the model) unless `--allow-test-edits`. */
export const TEST_FILE_GLOBS = ['**/*.test.*', '**/*.spec.*', '**/__tests__/**', 'test/**', 'tests/**'];

/** `GITHUB_TOKEN`, else `GH_TOKEN`, else undefined. */
export function githubToken(env: Record<string, string | undefined>): string | undefined {
  return env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
}

/** Appends markdown to `$GITHUB_STEP_SUMMARY` when set (GitHub Actions job summary); no-op otherwise. */
export function writeStepSummary(env: Record<string, string | undefined>, markdown: string): boolean {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}

/** The `Patchloop-Run` trailer value of commit `sha`, or null (then it is not a patchloop commit). */
export async function runTrailerOf(repoDir: string, sha: string): Promise<string | null> {
  const out = await hardenedGit(repoDir).raw(['log', '-1', '--format=%(trailers:key=Patchloop-Run,valueonly)', sha]);
  const v = out.trim();
  return v === '' ? null : v;
}

/**
 * GitHub client from the environment's token (`GITHUB_TOKEN`, else `GH_TOKEN`) — never from a
 * request or a flag. `githubApiUrl` (else `$GITHUB_API_URL`) points at GitHub Enterprise.
 * @throws ConfigError `github_token_missing`
 */
export function githubFromEnv(flags: { githubApiUrl?: string }, env: Record<string, string | undefined>): { api: GitHubApi; token: string } {
  const token = githubToken(env);
  if (!token) throw new ConfigError('github_token_missing', 'no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read issues and write contents, issues and pull requests');
  const baseUrl = flags.githubApiUrl ?? env['GITHUB_API_URL'];
  return { api: createGitHubClient({ token, ...(baseUrl ? { baseUrl } : {}) }), token };
}
