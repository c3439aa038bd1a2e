/**
 * `patchloop eval`: output files and the (a) gate with an injected task runner; `--compare` of two
 * runs; one real run through the CLI (replay) where a broken transcript drops (a) below the gate.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evalAction, compareAction, type EvalFlags } from '../../src/cli/commands/eval.ts';
import { compareRuns, renderComparison } from '../../src/eval/compare.ts';
import { parseResultsJsonl, toResultsJsonl } from '../../src/eval/report-summary.ts';
import type { CliIo } from '../../src/cli/main.ts';
import { REPO_ROOT, runCli } from '../support/cli.ts';
import { RESULTS } from './fixtures.ts';

function io(): CliIo & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t), err: () => {}, env: {}, isTTY: false, errStream: process.stderr, text: () => out };
}

/** A tasks folder with one task.json per fixture result (the injected runner never reads more). */
function fakeTasks(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evaltasks-'));
  for (const r of RESULTS) {
    cpSync(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'), path.join(root, r.id), { recursive: true, filter: (s) => !s.includes(`${path.sep}repo${path.sep}`) });
    const task = JSON.parse(readFileSync(path.join(root, r.id, 'task.json'), 'utf8'));
    writeFileSync(path.join(root, r.id, 'task.json'), JSON.stringify({ ...task, id: r.id, category: r.category }));
  }
  return root;
}

const flags = (p: Partial<EvalFlags>): EvalFlags => ({ tasks: 'tasks', provider: 'replay', concurrency: '2', threshold: '0.85', sandbox: 'auto', ...p });
const byId = new Map(RESULTS.map((r) => [r.id, r]));
let clock = 1_764_306_000_000;
const overrides = { runOne: async (inst: { task: { id: string } }) => byId.get(inst.task.id)!, now: () => (clock += 1000) };

describe('eval with an injected runner', () => {
  const tasks = fakeTasks();

  it('writes results.jsonl, report.md and report.html and fails the gate below 85%', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-evalout-')), 'run');
    const o = io();
    const code = await evalAction(flags({ tasks, out }), o, overrides);
    expect(code).toBe(1);
    const results = parseResultsJsonl(readFileSync(path.join(out, 'results.jsonl'), 'utf8'), 'results.jsonl');
    expect(results.map((r) => r.id)).toEqual([...RESULTS.map((r) => r.id)].sort());
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('**Resolved (a): 4/7 = 57.1%** — gate 85.0%: FAIL');
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('data-chart="iterations"');
    expect(o.text()).toMatch(/resolved \(a\) 4\/7 = 57\.1% \(gate 85\.0%: FAIL\)/);
  });

  it('passes the gate when --threshold is at or below the resolved rate', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evalout-'));
    expect(await evalAction(flags({ tasks, out, threshold: '50%' }), io(), overrides)).toBe(0);
    expect(await evalAction(flags({ tasks, out, threshold: '0.6' }), io(), overrides)).toBe(1);
  });

  it('--only runs a category', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evalout-'));
    expect(await evalAction(flags({ tasks, out, only: 'testgen' }), io(), overrides)).toBe(1);
    expect(parseResultsJsonl(readFileSync(path.join(out, 'results.jsonl'), 'utf8'), 'r').map((r) => r.id)).toEqual(['testgen-a', 'testgen-b']);
  });

  it('rejects a bad threshold before running anything', async () => {
    await expect(evalAction(flags({ tasks, threshold: 'high' }), io(), overrides)).rejects.toThrow(/--threshold high/);
  });
});

describe('--compare', () => {
  const cheaper = RESULTS.map((r) => ({ ...r, usd: r.usd / 2, resolved: r.id === 'completion-a' ? true : r.resolved }));

  it('puts resolved, USD and the cost ratio side by side per category and overall', () => {
    const c = compareRuns(RESULTS, cheaper);
    const overall = c.rows.at(-1)!;
    expect(overall.name).toBe('overall');
    expect([overall.a.resolved, overall.b.resolved]).toEqual([4, 5]);
    expect(overall.costRatio).toBeCloseTo(0.5);
    expect(c.rows.find((r) => r.name === 'completion')!.costPerResolvedRatio).toBeNull();
    expect(c.resolvedOnlyInB).toEqual(['completion-a']);
    const text = renderComparison(c, { a: 'primary', b: 'fallback' });
    expect(text).toMatch(/^overall\s+4\/7 57\.1%\s+5\/7 71\.4%\s+\$0\.1150\s+\$0\.0575\s+0\.50×/m);
    expect(text).toContain('resolved only in B: completion-a');
  });

  it('reads output folders and results.jsonl files; warns when the task sets differ', () => {
    const a = mkdtempSync(path.join(os.tmpdir(), 'patchloop-cmpa-'));
    writeFileSync(path.join(a, 'results.jsonl'), toResultsJsonl(RESULTS));
    const b = path.join(mkdtempSync(path.join(os.tmpdir(), 'patchloop-cmpb-')), 'b.jsonl');
    writeFileSync(b, toResultsJsonl(cheaper.slice(1)));
    const o = io();
    expect(compareAction([a, b], o)).toBe(0);
    expect(o.text()).toContain('only in A: bugfix-a');
    expect(() => compareAction([a], io())).toThrow(/exactly two runs/);
    expect(() => compareAction([a, path.join(a, 'nope')], io())).toThrow(/no such file or folder/);
  });
});

describe('patchloop eval through the CLI (replay)', () => {
  it('a broken transcript leaves its task unresolved, (a) = 50% and the exit code is 1', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-evalcli-'));
    cpSync(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'), path.join(root, 'bugfix-slugify'), { recursive: true });
    const broken = path.join(root, 'bugfix-slugify-broken');
    cpSync(path.join(REPO_ROOT, 'tasks', 'bugfix-slugify'), broken, { recursive: true });
    const task = JSON.parse(readFileSync(path.join(broken, 'task.json'), 'utf8'));
    writeFileSync(path.join(broken, 'task.json'), JSON.stringify({ ...task, id: 'bugfix-slugify-broken' }));
    const lines = readFileSync(path.join(broken, 'transcript.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(path.join(broken, 'transcript.jsonl'), lines.slice(0, 2).join('\n') + '\n');
    const out = path.join(root, 'out');
    const run = await runCli(['eval', '--tasks', root, '--out', out, '--concurrency', '2']);
    expect(run.stdout).toContain('resolved (a) 1/2 = 50.0% (gate 85.0%: FAIL)');
    expect(run.code).toBe(1);
    const results = parseResultsJsonl(readFileSync(path.join(out, 'results.jsonl'), 'utf8'), 'results.jsonl');
    expect(results.map((r) => [r.id, r.resolved])).toEqual([['bugfix-slugify', true], ['bugfix-slugify-broken', false]]);
    expect(results[0]!.usd).toBeGreaterThan(0);
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
  }, 120_000);
});
