/**
 * Every shipped task resolves through the loop with its replay transcript and is scored by its own
 * rule (hidden tests, mutants killed, planted defects found); a deliberately broken transcript
 * makes its task unresolved.
 */
import { priceCall } from '../../src/cli/wiring.ts';
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTask, loadTasks } from '../../src/eval/instance.ts';
import { runInstance, type InstanceResult } from '../../src/eval/run-instance.ts';
import { runSet } from '../../src/eval/run-set.ts';
import { ReplayProvider } from '../../src/model/replay.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { REPO_ROOT } from '../support/cli.ts';

const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

async function deps() {
  const sandbox = await createSandbox({ backend: 'auto', warn: () => {} });
  return {
    sandbox, nodeModules: NODE_MODULES,
    runDeps: { cost: priceCall, createValidation: (root: string, baseRef: string) => createValidationPipeline({ root, baseRef }) },
  };
}

describe('shipped tasks', () => {
  it('every task resolves with its transcript and scores (a) = 100%', async () => {
    const d = await deps();
    const instances = loadTasks(path.join(REPO_ROOT, 'tasks'));
    expect(instances.length).toBeGreaterThanOrEqual(5);
    const results = await runSet(instances, 2, async (inst) => runInstance(inst, { ...d, provider: await ReplayProvider.fromFile(path.join(inst.dir, 'transcript.jsonl')) }));
    const unresolved = results.filter((r) => !r.resolved).map((r: InstanceResult) => `${r.id}: ${r.status} ${r.reason ?? ''} ${JSON.stringify(r.hidden?.failToPass.filter((t) => !t.passed) ?? r.mutation?.survivors ?? r.review ?? '')}`);
    expect(unresolved).toEqual([]);
    for (const r of results) {
      expect(r.usd).toBeGreaterThan(0);
      if (r.category === 'testgen') expect(r.mutation!.score).toBe(1);
      if (r.category === 'review') expect(r.review!.recall).toBe(1);
    }
    // At least two transcripts go through repair (issue: the demo must visibly repair).
    expect(results.filter((r) => r.iterations >= 2).length).toBeGreaterThanOrEqual(2);
  }, 600_000);

  it('a broken transcript leaves its task unresolved', async () => {
    const d = await deps();
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'));
    // Copy the task and cut the transcript after the plan: the run runs out of turns.
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-broken-')), inst.task.id);
    cpSync(inst.dir, dir, { recursive: true });
    const lines = readFileSync(path.join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(path.join(dir, 'transcript.jsonl'), lines.slice(0, 2).join('\n') + '\n');
    const broken = loadTask(dir);
    const r = await runInstance(broken, { ...d, provider: await ReplayProvider.fromFile(path.join(dir, 'transcript.jsonl')) });
    expect(r.resolved).toBe(false);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/replay_exhausted|holds 2 turns/);
  });
});
