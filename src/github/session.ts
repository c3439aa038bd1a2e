/** Small facts shared by the issue and ci-fix flows: token lookup, job summary, trailers, test globs. */
import { appendFileSync } from 'node:fs';
import { hardenedGit } from '../git/repo.ts';

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

