/** The loop ends early instead of spending every iteration: a repeated environment failure, or the same failures after N repairs. */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import type { EnvironmentFailure, TestActorOutput } from '../../src/machine/context.ts';
import { DEFAULT_STUCK_AFTER_REPAIRS } from '../../src/machine/failure-set.ts';
import { errorFinding, failing, fakes, passing, reply, run, text } from './harness.ts';

const erofs = (signature = 'exit 1: Error: EROFS: read-only file system'): TestActorOutput => {
  const environment: EnvironmentFailure = { signature, message: "Error: EROFS: read-only file system, open 'node_modules/.vite-temp/x.mjs'", excerpt: 'EROFS …', fix: 'writable node_modules' };
  return { passed: false, failures: [{ id: '(command)::(command)', file: '(command)', fullName: '(command)', status: 'failed', message: 'test command ended: exit (exit 1)' }], environment };
};

describe('environment failures', () => {
  it('the same environment failure twice in a row ends the run as environment, with no further model call', async () => {
    const { done, modelInputs, repairInputs, states } = run({ replies: [text('plan'), text('a'), text('b'), text('never')], tests: [erofs(), erofs()] }, { maxIterations: 6 });
    const out = await done;
    expect(out.status).toBe('environment');
    expect(out.environment?.message).toContain('EROFS');
    expect(out.reason).toContain('EROFS');
    expect(out.reason).toContain('fix: writable node_modules');
    expect(modelInputs).toHaveLength(3); // plan, first edit, the one repair — not a fourth
    expect(out.iterations).toBe(2);
    // The one repair was told about the environment failure.
    expect(repairInputs).toHaveLength(1);
    expect(repairInputs[0]!.environment?.signature).toBe('exit 1: Error: EROFS: read-only file system');
    expect(states.at(-1)).toBe('"environment"');
  });

  it('two different environment failures, or one between real test failures, do not end the run', async () => {
    const a = run({ replies: [text('plan'), text('a'), text('b'), text('c')], tests: [erofs('one'), erofs('two'), passing] }, { maxIterations: 6 });
    expect((await a.done).status).toBe('resolved');
    const b = run({ replies: [text('plan'), text('a'), text('b'), text('c'), text('d')], tests: [erofs(), failing('t'), erofs(), passing] }, { maxIterations: 6 });
    const out = await b.done;
    expect(out.status).toBe('resolved');
    expect(b.repairInputs[1]!.environment).toBeUndefined(); // the real test failure cleared it
  });

  it('a validation failure in between means the test did not run twice in a row', async () => {
    const { done } = run({ replies: [text('plan'), text('a'), text('b'), text('c'), text('d')], tests: [erofs(), erofs(), passing], validations: [{ findings: [] }, { findings: [errorFinding] }] }, { maxIterations: 6 });
    expect((await done).status).toBe('resolved');
  });
});

describe('stuck detector', () => {
  it(`ends as stuck when ${DEFAULT_STUCK_AFTER_REPAIRS} repairs in a row leave the same failures, naming them`, async () => {
    // Messages differ each time (volatile text): the failure set is the test id, so it is the same.
    const tests = [1, 2, 3, 4, 5, 6].map((n) => failing('src/a.test.ts::adds', `expected ${n} to be 0 (${n * 13} ms)`));
    const { done, modelInputs } = run({ replies: [text('plan'), ...'abcdef'.split('').map(text)], tests }, { maxIterations: 6 });
    const out = await done;
    expect(out.status).toBe('stuck');
    expect(out.iterations).toBe(DEFAULT_STUCK_AFTER_REPAIRS + 1);
    expect(out.reason).toBe(`the same failures after ${DEFAULT_STUCK_AFTER_REPAIRS} repairs in a row: test:src/a.test.ts::adds`);
    expect(modelInputs).toHaveLength(1 + DEFAULT_STUCK_AFTER_REPAIRS + 1);
  });

  it('a repair that changes the failure set restarts the count; validator findings count by rule and file', async () => {
    const tests = [failing('t1'), failing('t1'), failing('t2'), failing('t2'), failing('t2')];
    const { done } = run({ replies: [text('plan'), ...'abcdef'.split('').map(text)], tests }, { maxIterations: 5, stuckAfterRepairs: 3 });
    expect((await done).status).toBe('max_iterations');

    const moved = { findings: [{ ...errorFinding, line: 9, message: 'other words' }] };
    const v = run({ replies: [text('plan'), ...'abc'.split('').map(text)], validations: [{ findings: [errorFinding] }, moved] }, { maxIterations: 5, stuckAfterRepairs: 1 });
    const out = await v.done;
    expect(out.status).toBe('stuck');
    expect(out.reason).toContain('rule:imports/unresolved@src/a.ts');
  });
});

describe('resume with snapshots written before these states existed', () => {
  it('a snapshot without the new context fields restores, and the stuck detector uses its defaults', async () => {
    const { actor, done } = run({ replies: [text('plan'), text('a'), text('b')], tests: [failing('t'), failing('t')] }, { maxIterations: 2 });
    const snaps: { context: Record<string, unknown> }[] = [];
    actor.subscribe((s) => {
      if (s.value === 'repair' && snaps.length === 0) snaps.push(JSON.parse(JSON.stringify(actor.getPersistedSnapshot())));
    });
    await done;
    const old = snaps[0]!;
    for (const k of ['readOnlyTools', 'stuckAfterRepairs', 'unchangedRepairs', 'failureSet', 'environment']) delete old.context[k];
    old.context.maxIterations = 6;
    const tests = [failing('t'), failing('t'), failing('t'), failing('t')];
    const { machine } = fakes({ replies: [reply([{ type: 'tool_use', id: 'e1', name: 'str_replace', input: {} }]), text('b'), text('c'), text('d'), text('e')], tests });
    const again = createActor(machine, { snapshot: old as never, input: { task: 'x', budget: { maxTokens: 1 }, maxIterations: 1 } });
    again.start();
    const out = await toPromise(again);
    // Same failures after 3 more repairs: stuck, with the default threshold (the old snapshot had none).
    expect(out.status).toBe('stuck');
    expect(out.iterations).toBe(5); // the failure set is first recorded after the restore (iteration 2), then 3 unchanged repairs
  });
});
