/** Fakes for the loop machine's actors (swapped by name with `provide`, no module mocks) and a scripted run. */
import { createActor, fromPromise, toPromise } from 'xstate';
import { loopMachine } from '../../src/machine/loop.ts';
import type { ModelActorInput, ModelActorOutput, RepairActorInput, TestActorOutput, ToolsActorInput, ValidateActorOutput } from '../../src/machine/context.ts';
import type { ContentBlock, ModelResponse } from '../../src/model/types.ts';
import type { Finding } from '../../src/validate/types.ts';

export const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
export function reply(content: ContentBlock[]): ModelResponse {
  const hasTool = content.some((b) => b.type === 'tool_use');
  return { model: 'fake', provider: 'fake', content, stopReason: hasTool ? 'tool_use' : 'end_turn', usage };
}
export const text = (t: string) => reply([{ type: 'text', text: t }]);
let idc = 0;
export const nextId = () => `t${idc++}`;
export const tool = (name: string, input: unknown) => reply([{ type: 'tool_use', id: nextId(), name, input }]);

export interface Script {
  replies: ModelResponse[];
  tests?: TestActorOutput[];
  validations?: ValidateActorOutput[];
  modelError?: unknown;
}

export function fakes(script: Script) {
  const modelInputs: ModelActorInput[] = [];
  const toolInputs: ToolsActorInput[] = [];
  const repairInputs: RepairActorInput[] = [];
  let r = 0, t = 0, v = 0;
  const machine = loopMachine.provide({
    actors: {
      callModel: fromPromise<ModelActorOutput, ModelActorInput>(async ({ input: i }) => {
        modelInputs.push(i);
        if (script.modelError && r === script.replies.length) throw script.modelError;
        const next = script.replies[r++];
        if (!next) throw new Error('script exhausted');
        return { response: next, usd: 0.01 };
      }),
      runTools: fromPromise(async ({ input: i }) => {
        toolInputs.push(i);
        return {
          message: { role: 'user' as const, content: i.response.content.filter((b) => b.type === 'tool_use').map((b) => ({ type: 'tool_result' as const, tool_use_id: (b as { id: string }).id, content: 'ok' })) },
          changedFiles: i.phase === 'edit' ? ['src/a.ts'] : [],
        };
      }),
      validate: fromPromise(async () => script.validations?.[v++] ?? { findings: [] }),
      runTests: fromPromise(async () => script.tests?.[t++] ?? { passed: true, failures: [] }),
      buildRepair: fromPromise(async ({ input: i }) => {
        repairInputs.push(i);
        return { prompt: `repair #${i.iteration}: ${i.failures.map((f) => f.id).join(',')}${i.findings.map((f) => f.rule).join(',')}` };
      }),
      commit: fromPromise(async () => ({ sha: 'abc123' })),
    },
  });
  return { machine, modelInputs, toolInputs, repairInputs };
}

export function run(script: Script, input: Partial<{ maxIterations: number; maxTokens: number; maxSteps: number; stuckAfterRepairs: number }> = {}) {
  const states: string[] = [];
  const { machine, ...seen } = fakes(script);
  const actor = createActor(machine, {
    input: {
      task: 'fix it', budget: { maxTokens: input.maxTokens ?? 1_000_000 }, maxIterations: input.maxIterations ?? 3, maxStepsPerPhase: input.maxSteps,
      ...(input.stuckAfterRepairs !== undefined ? { stuckAfterRepairs: input.stuckAfterRepairs } : {}),
    },
  });
  actor.subscribe((s) => states.push(JSON.stringify(s.value)));
  actor.start();
  return { done: toPromise(actor), states, actor, ...seen };
}

export const failing = (id: string, message = 'expected 1'): TestActorOutput => ({ passed: false, failures: [{ id, file: 'a.test.ts', fullName: id, status: 'failed', message }] });
export const passing: TestActorOutput = { passed: true, failures: [] };
export const errorFinding: Finding = { validator: 'imports', file: 'src/a.ts', line: 1, column: 1, rule: 'imports/unresolved', message: 'no module', severity: 'error' };
