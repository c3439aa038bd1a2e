/**
 * A replayed run records its localisation: the ranked candidates it put in the cached prefix, and
 * where the files it finally edited stood among them.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';
import { readTrajectory } from '../../src/trace/trajectory.ts';
import type { RunSummary } from '../../src/run/run-task.ts';

describe('localization in the trace', () => {
  it('records the candidates before planning and the rank of every edited file at the end', async () => {
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-csv-quoted-fields'));
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const res = await runCli(['run', '--repo', repo, '--task', inst.task.prompt, '--test-cmd', inst.task.test_cmd, '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--json', '--map-tokens', '2048']);
    const summary = JSON.parse(res.stdout) as RunSummary;
    const trace = readTrajectory(path.join(summary.runDir, 'trajectory.jsonl'));
    const loc = trace.find((e) => e.type === 'localization');
    const firstCall = trace.findIndex((e) => e.type === 'model_call');
    expect(trace.indexOf(loc!)).toBeLessThan(firstCall);
    const { degraded, candidates } = loc as { degraded: boolean; candidates: { file: string; symbols: { name: string }[] }[] };
    expect(degraded).toBe(false);
    expect([candidates[0]!.file, candidates[0]!.symbols[0]!.name]).toEqual(['src/parse.ts', 'parseRecord']);
    const outcome = trace.find((e) => e.type === 'localization_outcome') as { edited: string[]; candidateRanks: (number | null)[] };
    expect(outcome.edited).toEqual(summary.touchedFiles);
    expect(outcome.candidateRanks[outcome.edited.indexOf('src/parse.ts')]).toBe(1);
  });
});
