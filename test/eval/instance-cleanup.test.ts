/**
 * An eval or demo run of a shipped task leaves nothing behind once it is scored: not its scratch
 * repository in the temp folder, not the worktree the run kept for `patchloop apply` (before, each
 * `npm run demo` left 30 of each). Only when the run folder (trace, patch) is outside the scratch
 * repository (`runsDir`, as eval and demo give): the trace always stays. Real loop, replay
 * provider, real git and sandbox.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { priceCall } from '../../src/cli/wiring.ts';
import { loadTasks } from '../../src/eval/instance.ts';
import { runInstance } from '../../src/eval/run-instance.ts';
import { worktreesRoot } from '../../src/git/worktrees-root.ts';
import { ReplayProvider } from '../../src/model/replay.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { REPO_ROOT } from '../support/cli.ts';

const TASK = 'bugfix-slugify';
/** Scratch repositories of TASK in the temp folder, and worktree folders of its scratch repositories. */
const leftovers = () => [
  ...readdirSync(os.tmpdir()).filter((f) => f.startsWith(`patchloop-${TASK}-`)),
  ...(existsSync(worktreesRoot()) ? readdirSync(worktreesRoot()).filter((f) => f.startsWith(`patchloop-${TASK}-`)) : []),
];

/** Runs TASK through runInstance with its replay transcript. */
async function runTask(runsDir?: string) {
  const [inst] = loadTasks(path.join(REPO_ROOT, 'tasks'), TASK);
  expect(inst?.task.id).toBe(TASK);
  return runInstance(inst!, {
    provider: await ReplayProvider.fromFile(path.join(inst!.dir, 'transcript.jsonl')),
    sandbox: await createSandbox({ backend: 'auto', warn: () => {} }),
    nodeModules: path.join(REPO_ROOT, 'node_modules'),
    runDeps: { cost: priceCall },
    ...(runsDir ? { runsDir } : {}),
  });
}

describe('runInstance', () => {
  it('with a runs folder outside it: removes the scratch repository and the run\'s kept worktree after scoring', async () => {
    const before = leftovers();
    const runsDir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-runs-'));
    const result = await runTask(runsDir);
    expect(result.resolved, result.reason).toBe(true);
    expect(result.runDir!.startsWith(runsDir)).toBe(true);
    expect(existsSync(path.join(result.runDir!, 'trajectory.jsonl'))).toBe(true);
    expect(leftovers()).toEqual(before);
  });

  it('with the run folder inside the scratch repository (no runsDir): keeps it, so the trace stays', async () => {
    const result = await runTask();
    expect(result.resolved, result.reason).toBe(true);
    expect(existsSync(path.join(result.runDir!, 'trajectory.jsonl'))).toBe(true);
  });
});
