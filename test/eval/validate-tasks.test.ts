/**
 * `tasks validate` on real shipped tasks (they pass every check) and on deliberately broken copies:
 * a reference that does not fix the bug, a misspelt PASS_TO_PASS id, a transcript that does not
 * parse, too few mutants, a task.json whose id is not its folder — each failure names task and check.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { judgeTests, patchTargets, renderValidation, taskDirs, validateTasks, type TaskValidation } from '../../src/eval/validate-tasks.ts';
import { createSandbox } from '../../src/sandbox/create.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { REPO_ROOT, runCli } from '../support/cli.ts';

const NOT_A_FIX = `diff --git a/NOTES.md b/NOTES.md
new file mode 100644
--- /dev/null
+++ b/NOTES.md
@@ -0,0 +1 @@
+not a fix
`;

function copyTask(root: string, from: string, id: string, edit: (task: Record<string, unknown>, dir: string) => void): void {
  const dir = path.join(root, id);
  cpSync(path.join(REPO_ROOT, 'tasks', from), dir, { recursive: true });
  const task = JSON.parse(readFileSync(path.join(dir, 'task.json'), 'utf8')) as Record<string, unknown>;
  task['id'] = id;
  edit(task, dir);
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify(task, null, 2));
}

const failed = (v: TaskValidation) => Object.fromEntries(v.checks.filter((c) => c.ok === false).map((c) => [c.check, c.detail]));

describe('tasks validate', () => {
  it('passes real tasks and names every broken check of broken copies', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-tasks-'));
    for (const id of ['bugfix-slugify', 'review-job-queue']) cpSync(path.join(REPO_ROOT, 'tasks', id), path.join(root, id), { recursive: true });
    copyTask(root, 'bugfix-slugify', 'bugfix-broken', (task, dir) => {
      writeFileSync(path.join(dir, 'reference.patch'), NOT_A_FIX);
      (task['PASS_TO_PASS'] as string[])[0] = 'src/posts.test.ts::permalink > prefixes the year';
      writeFileSync(path.join(dir, 'transcript.jsonl'), '{"model": "x", "content": [\n');
    });
    copyTask(root, 'testgen-duration-strings', 'testgen-two-mutants', (task) => {
      task['mutants'] = (task['mutants'] as string[]).slice(0, 2);
    });
    copyTask(root, 'bugfix-slugify', 'bad-id', (task) => (task['id'] = 'not-the-folder'));

    const sandbox = await createSandbox({ backend: 'auto', warn: () => {} });
    const vs = await validateTasks(taskDirs(root), {
      sandbox, nodeModules: path.join(REPO_ROOT, 'node_modules'),
      createPipeline: (r, base) => createValidationPipeline({ root: r, baseRef: base }),
    }, 2);
    const by = Object.fromEntries(vs.map((v) => [v.id, v]));
    expect(vs.map((v) => v.id)).toEqual(['bad-id', 'bugfix-broken', 'bugfix-slugify', 'review-job-queue', 'testgen-two-mutants']);

    expect(failed(by['bugfix-slugify']!)).toEqual({});
    expect(by['bugfix-slugify']!.ok).toBe(true);
    expect(by['review-job-queue']!.ok).toBe(true);
    expect(by['review-job-queue']!.checks.find((c) => c.check === 'defects')).toMatchObject({ ok: true, detail: '3 defect(s)' });

    const broken = failed(by['bugfix-broken']!);
    expect(Object.keys(broken).sort()).toEqual(['fail→pass', 'pass→pass', 'transcript']);
    expect(broken['fail→pass']).toMatch(/^fail with the reference: src\/slugify\.hidden\.test\.ts::slugify > collapses runs/);
    expect(broken['pass→pass']).toContain('never reported by the test run (typo or missing test): src/posts.test.ts::permalink > prefixes the year');
    expect(broken['transcript']).toMatch(/bugfix-broken\/transcript\.jsonl:1: not valid JSON/);

    expect(failed(by['testgen-two-mutants']!)).toEqual({ mutants: 'only 2 mutant(s), need at least 3' });
    expect(failed(by['bad-id']!)['task.json']).toMatch(/id "not-the-folder" must equal its folder name "bad-id"/);

    const table = renderValidation(vs);
    expect(table).toContain('FAIL bugfix-broken: fail→pass: fail with the reference');
    expect(table).toMatch(/^bugfix-slugify\s+ok\s+ok\s+ok\s+ok\s+ok\s+ok\s+–\s+–$/m);
    expect(table).toContain('2/5 task(s) valid');
  }, 180_000);

  it('exits 1 through the CLI, naming the task and the check', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'patchloop-tasks-'));
    copyTask(root, 'bugfix-slugify', 'bad-id', (task) => (task['id'] = 'Bad Id'));
    const run = await runCli(['tasks', 'validate', '--tasks', root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL bad-id: task\.json: .*id: lowercase letters, digits and dashes/);
    const none = await runCli(['tasks', 'validate', '--tasks', root, '--only', 'nothing-like-this']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--only nothing-like-this: no task id, id prefix or category matches');
  }, 60_000);
});

describe('pure parts', () => {
  it('finds the files a patch creates or modifies, not deleted ones', () => {
    const patch = `${NOT_A_FIX}diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/old.ts b/old.ts\ndeleted file mode 100644\n--- a/old.ts\n+++ /dev/null\n`;
    expect(patchTargets(patch)).toEqual(['NOTES.md', 'src/x.ts']);
  });

  it('flags a FAIL_TO_PASS test that already passes on the base', () => {
    const score = (f: boolean, p: boolean) => ({ passed: f && p, failToPass: [{ id: 'a::f', passed: f }], passToPass: [{ id: 'a::p', passed: p }], missing: [], tests: [] });
    const [f2p, p2p] = judgeTests(score(true, true), score(true, true));
    expect(f2p).toMatchObject({ ok: false, detail: 'pass on the base (must fail): a::f' });
    expect(p2p!.ok).toBe(true);
    expect(judgeTests(score(false, true), score(true, true)).every((c) => c.ok)).toBe(true);
    expect(judgeTests(score(false, false), score(true, true))[1]).toMatchObject({ ok: false, detail: 'fail on the base: a::p' });
  });
});
