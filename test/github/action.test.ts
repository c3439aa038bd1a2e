/**
 * The composite action: action.yml is valid against the metadata-subset schema, has the inputs the
 * issue lists, installs before the loop, checks AppArmor and never runs unsandboxed, keeps inputs
 * out of shell code, passes only flags the CLI knows, uploads the run folder; the two README
 * example workflows (shipped as files) parse and do what they say.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import type { Command } from 'commander';
import { buildProgram, defaultIo } from '../../src/cli/main.ts';

const ACTION_DIR = fileURLToPath(new URL('../../.github/actions/patchloop', import.meta.url));
const load = (rel: string) => parse(readFileSync(path.join(ACTION_DIR, rel), 'utf8')) as any;

interface Step { name: string; id?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> }

describe('.github/actions/patchloop', () => {
  const action = load('action.yml');
  const steps = action.runs.steps as Step[];

  it('action.yml validates against the action metadata schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ACTION_DIR, 'action.schema.json'), 'utf8')));
    const ok = validate(action);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema does reject a broken step (a `run` without `shell`).
    expect(validate({ ...action, runs: { using: 'composite', steps: [{ name: 'x', run: 'true' }] } })).toBe(false);
  });

  it('has the inputs the issue lists', () => {
    for (const input of ['mode', 'anthropic-api-key', 'github-token', 'budget-usd', 'max-iterations', 'allowed-paths', 'fallback-base-url', 'fallback-api-key', 'fallback-model']) {
      expect(action.inputs, input).toHaveProperty(input);
    }
    expect(action.inputs['anthropic-api-key'].required).toBe(true);
  });

  it('installs dependencies before the loop, checks AppArmor, runs only with bwrap, uploads the run folder', () => {
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const install = index((s) => /npm ci/.test(s.run ?? ''));
    const apparmor = index((s) => /apparmor_restrict_unprivileged_userns/.test(s.run ?? ''));
    const run = index((s) => s.id === 'run');
    const upload = index((s) => (s.uses ?? '').startsWith('actions/upload-artifact@'));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(run);
    expect(apparmor).toBeLessThan(run);
    expect(upload).toBeGreaterThan(run);
    expect(steps[upload]!.if).toBe('always()');
    expect(steps[upload]!.with!['path']).toContain('patchloop-runs');
    const check = steps[apparmor]!.run!;
    expect(check).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(check).toMatch(/::error::.*never runs unsandboxed[\s\S]*exit 1/);
    const script = steps[run]!.run!;
    expect(script).toContain('--sandbox bwrap');
    expect(script).not.toMatch(/--sandbox (auto|process)/);
    expect(script).toContain('--runs-dir "$RUNS_DIR"');
  });

  it('every run script is valid bash', () => {
    for (const s of steps) if (s.run) expect(spawnSync('bash', ['-n', '-c', s.run]).status, s.name).toBe(0);
  });

  it('never splices an expression into shell code (inputs and event fields travel as env)', () => {
    for (const s of steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
  });

  it('passes only flags the issue and ci-fix commands define', async () => {
    const program = await buildProgram(defaultIo(), () => {});
    const flagsOf = (name: string) => new Set((program.commands.find((c) => c.name() === name) as Command).options.map((o) => o.long));
    const issue = flagsOf('issue');
    const ci = flagsOf('ci-fix');
    const used = [...steps.find((s) => s.id === 'run')!.run!.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(10);
    for (const flag of new Set(used)) expect(issue.has(flag) || ci.has(flag), flag).toBe(true);
  });

  it('example: an issue labelled patchloop', () => {
    const wf = load('examples/issue-labelled.yml');
    expect(wf.on.issues.types).toEqual(['labeled']);
    const job = wf.jobs.patchloop;
    expect(job.if).toContain("github.event.label.name == 'patchloop'");
    const step = (job.steps as Step[]).find((s) => (s.uses ?? '').includes('.github/actions/patchloop@'))!;
    expect(step.with).toMatchObject({ mode: 'issue' });
    expect((job.steps as Step[])[0]!.with).toMatchObject({ 'persist-credentials': false });
    expect(wf.permissions).toMatchObject({ contents: 'write', issues: 'write', 'pull-requests': 'write' });
  });

  it('example: a failed CI run (workflow_run) or a /patchloop comment from a collaborator', () => {
    const wf = load('examples/ci-fix.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['issue_comment', 'workflow_run']);
    expect(wf.jobs['ci-fix'].if).toContain("conclusion == 'failure'");
    const ciStep = (wf.jobs['ci-fix'].steps as Step[]).find((s) => (s.uses ?? '').includes('.github/actions/patchloop@'))!;
    expect(ciStep.with).toMatchObject({ mode: 'ci-fix' });
    expect(ciStep.with!['report']).toContain('vitest.json');
    const cmd = wf.jobs['on-command'];
    expect(cmd.if).toContain("startsWith(github.event.comment.body, '/patchloop')");
    const first = (cmd.steps as Step[])[0]!;
    expect(first.run).toContain('/collaborators/$COMMENTER/permission');
    expect(first.run).toMatch(/admin\|maintain\|write/);
    for (const job of Object.values(wf.jobs) as { steps: Step[] }[]) for (const s of job.steps) if (s.run) expect(s.run).not.toContain('${{');
  });

  it('README sections "Use from GitHub" embed the two example workflows verbatim', () => {
    const readmes = [path.join(ACTION_DIR, 'README.md'), path.join(ACTION_DIR, '../../../README.md')];
    const examples = ['examples/issue-labelled.yml', 'examples/ci-fix.yml'].map((f) => readFileSync(path.join(ACTION_DIR, f), 'utf8'));
    let checked = 0;
    for (const file of readmes) {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const at = text.indexOf('## Use from GitHub');
      expect(at, `${file} has a "## Use from GitHub" section`).toBeGreaterThanOrEqual(0);
      const section = text.slice(at).split(/\n## (?!#)/)[0]!;
      const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks, file).toEqual(examples);
      for (const b of blocks) expect(() => parse(b)).not.toThrow();
      checked++;
    }
    expect(checked).toBe(2);
  });
});
