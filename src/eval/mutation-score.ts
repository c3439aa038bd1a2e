/**
 * Scoring of test-generation tasks: the generated tests must pass on the code as it is (the
 * reference) and fail on each planted mutant. Mutation score = killed / planted.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Sandbox } from '../sandbox/types.ts';
import { runTests } from '../sandbox/run-tests.ts';
import { taskPath, type TaskInstance } from './instance.ts';

const exec = promisify(execFile);

/** Files that count as generated tests. */
export const TEST_FILE = /\.(test|spec)\.[cm]?[tj]sx?$/;

export interface MutationScore {
  resolved: boolean;
  /** The generated tests pass on the unmutated code. */
  passOnReference: boolean;
  killed: number;
  planted: number;
  /** killed / planted (0 when nothing was generated). */
  score: number;
  survivors: string[];
  generated: string[];
}

function scratchCopy(sourceDir: string, id: string, nodeModules: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `patchloop-mut-${id}-`));
  cpSync(sourceDir, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/.test(src) });
  symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * @param sourceDir the run's resulting tree
 * @param touchedFiles repo-relative files the run changed; the test files among them are "generated"
 */
export async function scoreMutants(inst: TaskInstance, sourceDir: string, touchedFiles: string[], sandbox: Sandbox, nodeModules: string, timeoutMs = 120_000): Promise<MutationScore> {
  const generated = touchedFiles.filter((f) => TEST_FILE.test(f));
  const mutants = inst.task.mutants ?? [];
  if (generated.length === 0) return { resolved: false, passOnReference: false, killed: 0, planted: mutants.length, score: 0, survivors: mutants, generated };
  const command = `${inst.task.test_cmd} ${generated.map((f) => JSON.stringify(f)).join(' ')}`;
  const refDir = scratchCopy(sourceDir, inst.task.id, nodeModules);
  const ref = await runTests(sandbox, { command, cwd: refDir, timeoutMs }).finally(() => rmSync(refDir, { recursive: true, force: true }));
  const survivors: string[] = [];
  for (const mutant of mutants) {
    const dir = scratchCopy(sourceDir, inst.task.id, nodeModules);
    try {
      await exec('git', ['apply', taskPath(inst, mutant)], { cwd: dir });
      const run = await runTests(sandbox, { command, cwd: dir, timeoutMs });
      if (run.passed) survivors.push(mutant);
    } finally {
      rmSync(dir, { recursive: true, force: true }); // scratch only; keeps tmp from filling up
    }
  }
  const killed = mutants.length - survivors.length;
  return {
    resolved: ref.passed && survivors.length === 0 && mutants.length > 0,
    passOnReference: ref.passed, killed, planted: mutants.length,
    score: mutants.length === 0 ? 0 : killed / mutants.length, survivors, generated,
  };
}
