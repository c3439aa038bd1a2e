/**
 * Where run folders live, and finding one by id. Kept free of the loop's imports so `patchloop runs`
 * and `show` start without loading the machine, the tools or the validators.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { openRepo } from '../git/repo.ts';

/** `<git common dir>/patchloop/runs`: shared by every worktree of the repository. */
export const runsRoot = (commonDir: string) => path.join(commonDir, 'patchloop', 'runs');

/**
 * The folder of run `runId` (it holds run.json).
 * @throws UsageError `bad_run_id` for an id that is not a run id, `unknown_run` when no such run exists.
 */
export async function findRunDir(runId: string, repo: string, runsDir?: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) throw new UsageError('bad_run_id', `run id "${runId}" is not a patchloop run id`);
  const root = runsDir ?? runsRoot((await openRepo(repo)).commonDir);
  const dir = path.join(root, runId);
  if (!existsSync(path.join(dir, 'run.json'))) throw new UsageError('unknown_run', `no run ${runId} in ${root}: list runs with \`patchloop runs\``);
  return dir;
}
